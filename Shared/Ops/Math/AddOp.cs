using TfMnist.Framework;

namespace TfMnist.Ops;

/// <summary>Add: x + y with broadcasting (the op TF 1.9 emits for `+`).</summary>
public sealed class AddOp : BinaryOp<AddFn<float>, AddFn<int>, AddFn<long>>
{
    public override string Type => "Add";

    public override GradientFunction Gradient => AddGradient;

    internal static Tensor?[] AddGradient(Operation op, IReadOnlyList<Tensor?> grads)
    {
        var grad = grads[0]!;
        var (sx, sy, rx, ry) = BroadcastGradient.Args(op.Inputs[0], op.Inputs[1]);
        return [BroadcastGradient.SumToShape(grad, rx, sx), BroadcastGradient.SumToShape(grad, ry, sy)];
    }

    public static Tensor Create(Tensor x, Tensor y, string name = "Add") => Build("Add", x, y, name);
}

/// <summary>AddV2: the same as Add (TF 1.15 emits it for `+`); imported graphs use it.</summary>
public sealed class AddV2Op : BinaryOp<AddFn<float>, AddFn<int>, AddFn<long>>
{
    public override string Type => "AddV2";
    public override GradientFunction Gradient => AddOp.AddGradient;
    public static Tensor Create(Tensor x, Tensor y, string name = "AddV2") => Build("AddV2", x, y, name);
}
