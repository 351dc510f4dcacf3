using TfMnist.Framework;

namespace TfMnist.Ops;

/// <summary>GreaterEqual: x >= y elementwise with broadcasting (Maximum's gradient selects with it).</summary>
public sealed class GreaterEqualOp : ComparisonOp<GreaterEqualCmp>
{
    public override string Type => "GreaterEqual";

    public static Tensor Create(Tensor x, Tensor y, string name = "GreaterEqual") => Build("GreaterEqual", x, y, name);
}
