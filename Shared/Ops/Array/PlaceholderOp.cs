using TfMnist.Core;
using TfMnist.Framework;

namespace TfMnist.Ops;

/// <summary>Placeholder: a value the caller must feed; running it unfed is an error naming it.</summary>
public sealed class PlaceholderOp : OpDefinition
{
    public override string Type => "Placeholder";
    public override bool IsNotDifferentiable => true;

    public override OutputSpec[] InferOutputs(Operation op) =>
        [new(op.Attrs.GetType("dtype"), op.Attrs.Contains("shape") ? op.Attrs.GetShape("shape") : Shape.Unknown)];

    public override void Compute(KernelContext ctx)
    {
        var output = ctx.Op.Outputs[0];
        throw new InvalidArgumentException(
            $"You must feed a value for placeholder tensor '{ctx.Op.Name}' with dtype {output.DType.TfName()}" +
            (output.Shape.IsKnownRank ? $" and shape {ShapeText(output.Shape)}" : ""));
    }

    private static string ShapeText(Shape s) => "[" + string.Join(",", s.Dims.Select(d => d.ToString())) + "]";

    public static Tensor Create(DType dtype, Shape? shape = null, string name = "Placeholder")
    {
        var attrs = new List<(string, Proto.AttrValue)> { ("dtype", Attr.Type(dtype)) };
        // TF 1.9 writes the shape attr always; an unknown shape is unknown_rank.
        attrs.Add(("shape", Attr.Shape(shape ?? Shape.Unknown)));
        return OpBuilder.Create(Graph.Current, "Placeholder", name, Array.Empty<Tensor>(), attrs.ToArray()).Output;
    }
}
