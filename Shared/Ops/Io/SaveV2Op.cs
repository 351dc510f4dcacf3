using System.Text;
using TfMnist.Checkpoint;
using TfMnist.Core;
using TfMnist.Framework;

namespace TfMnist.Ops;

/// <summary>SaveV2: writes the given tensors to a TensorBundle at the fed prefix (temp files renamed into place).</summary>
public sealed class SaveV2Op : OpDefinition
{
    public override string Type => "SaveV2";
    public override bool IsNotDifferentiable => true;
    public override bool IsStateful => true;
    public override OutputSpec[] InferOutputs(Operation op) => [];

    public override void Compute(KernelContext ctx)
    {
        string prefix = Encoding.UTF8.GetString(ctx.Input(0).Strings[0]);
        var names = ctx.Input(1).Strings;
        var slices = ctx.Input(2).Strings;
        if (names.Length != ctx.InputCount - 3 || slices.Length != names.Length)
            throw new InvalidArgumentException($"'{ctx.Op.Name}' got {names.Length} names for {ctx.InputCount - 3} tensors.");
        var writer = new BundleWriter(prefix);
        for (int i = 0; i < names.Length; i++)
        {
            if (slices[i].Length != 0)
                throw new NotSupportedException($"'{ctx.Op.Name}': partitioned (sliced) variables are not supported.");
            var value = ctx.Input(3 + i);
            writer.Add(Encoding.UTF8.GetString(names[i]), value.DType.ToProto(), value.Shape.Select(d => (long)d).ToArray(), value.RawBytes);
        }
        writer.Finish();
    }

    public static Operation Create(Tensor prefix, IReadOnlyList<string> names, IReadOnlyList<Tensor> tensors, string name = "SaveV2")
    {
        var graph = prefix.Graph;
        using var scope = graph.NameScope(name);
        var namesTensor = ConstOp.Create(Strings(names), "tensor_names", graph);
        var slicesTensor = ConstOp.Create(Strings(names.Select(_ => "").ToList()), "shape_and_slices", graph);
        return OpBuilder.Create(graph, "SaveV2", scope.ScopeName, [prefix, namesTensor, slicesTensor, .. tensors],
            ("dtypes", Attr.TypeList(tensors.Select(t => t.DType))));
    }

    internal static NDArray Strings(IReadOnlyList<string> values) =>
        new(DType.String, [values.Count], values.Select(Encoding.UTF8.GetBytes).ToArray());
}
