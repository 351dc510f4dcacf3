using TfMnist.Framework;

namespace TfMnist.Ops;

/// <summary>Equal: x == y elementwise with broadcasting, a bool tensor (not differentiable).</summary>
public sealed class EqualOp : ComparisonOp<EqualCmp>
{
    public override string Type => "Equal";

    public static Tensor Create(Tensor x, Tensor y, string name = "Equal") => Build("Equal", x, y, name);
}
