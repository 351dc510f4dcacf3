using TfMnist.Framework;
using TfMnist.Runtime;

namespace TfMnist.Ops;

/// <summary>Reshape: the same values under a new shape (one dim may be -1); a zero-copy view.</summary>
public sealed class ReshapeOp : OpDefinition
{
    public override string Type => "Reshape";
    public override int? ForwardedInput => 0;

    public override OutputSpec[] InferOutputs(Operation op)
    {
        var input = op.Inputs[0];
        var target = ConstantValue.Ints(op.Inputs[1]);
        if (target is null)
        {
            var s = op.Inputs[1].Shape;
            return [new(input.DType, s.IsFullyDefined ? Shape.UnknownOfRank(s[0]) : Shape.Unknown)];
        }
        int unknownAt = Array.IndexOf(target, -1);
        if (unknownAt >= 0 && input.Shape.IsFullyDefined)
        {
            long known = target.Where(d => d != -1).Aggregate(1L, (a, d) => a * d);
            long total = input.Shape.NumElements;
            if (known == 0 || total % known != 0)
                throw ShapeError(op, $"cannot reshape '{input.Name}' of shape {input.Shape} to [{string.Join(",", target)}]");
            target = (int[])target.Clone();
            target[unknownAt] = (int)(total / known);
        }
        else if (unknownAt < 0 && input.Shape.IsFullyDefined &&
                 target.Aggregate(1L, (a, d) => a * d) != input.Shape.NumElements)
            throw ShapeError(op, $"cannot reshape '{input.Name}' of shape {input.Shape} ({input.Shape.NumElements} values) to [{string.Join(",", target)}]");
        return [new(input.DType, new Shape(target))];
    }

    public override void Compute(KernelContext ctx)
    {
        var input = ctx.Input(0);
        var requested = ctx.Input(1).Ints;
        Span<int> shape = stackalloc int[requested.Length];
        requested.CopyTo(shape);
        int unknownAt = -1;
        long known = 1;
        for (int i = 0; i < shape.Length; i++)
        {
            if (shape[i] == -1)
            {
                if (unknownAt >= 0) throw new InvalidArgumentException($"Only one input size may be -1 in '{ctx.Op.Name}'.");
                unknownAt = i;
            }
            else known *= shape[i];
        }
        if (unknownAt >= 0)
        {
            if (known == 0 || input.Size % known != 0)
                throw new InvalidArgumentException($"Input to reshape '{ctx.Op.Name}' is a tensor with {input.Size} values, which is not divisible by {known}.");
            shape[unknownAt] = (int)(input.Size / known);
        }
        else if (known != input.Size)
            throw new InvalidArgumentException(
                $"Input to reshape '{ctx.Op.Name}' is a tensor with {input.Size} values, but the requested shape has {known}.");
        ctx.SetOutputView(0, input, shape);
    }

    /// <summary>A view keeps the element order, so it reads of its input what its readers read of its output.</summary>
    public override long? LeadingElementsRead(Operation op, int input, Func<Tensor, long?> outputDemand) =>
        input == 0 ? outputDemand(op.Outputs[0]) : null;

    public override GradientFunction Gradient => (op, grads) =>
        [Create(grads[0]!, ShapeOp.Create(op.Inputs[0])), null];

    public static Tensor Create(Tensor x, Tensor shape, string name = "Reshape")
    {
        using var scope = x.Graph.NameScope(name);
        return OpBuilder.Create(x.Graph, "Reshape", scope.ScopeName, [x, shape], OpBuilder.T(x.DType), ("Tshape", Attr.Type(DType.Int32))).Output;
    }

    /// <summary>With a literal shape, stored as the constant "&lt;name&gt;/shape" as TF does.</summary>
    public static Tensor Create(Tensor x, int[] shape, string name = "Reshape")
    {
        using var scope = x.Graph.NameScope(name);
        var shapeTensor = ConstOp.Vector(x.Graph, shape, "shape");
        return OpBuilder.Create(x.Graph, "Reshape", scope.ScopeName, [x, shapeTensor], OpBuilder.T(x.DType), ("Tshape", Attr.Type(DType.Int32))).Output;
    }
}
