using TfMnist.Framework;

namespace TfMnist.Ops;

/// <summary>Less: x &lt; y elementwise with broadcasting; bool output, not differentiable (as in TF).</summary>
public sealed class LessOp : ComparisonOp<LessCmp>
{
    /// <inheritdoc/>
    public override string Type => "Less";

    /// <summary>tf.less(x, y).</summary>
    public static Tensor Create(Tensor x, Tensor y, string name = "Less") => Build("Less", x, y, name);
}

/// <summary>Greater: x &gt; y elementwise with broadcasting; bool output, not differentiable (as in TF).</summary>
public sealed class GreaterOp : ComparisonOp<GreaterCmp>
{
    /// <inheritdoc/>
    public override string Type => "Greater";

    /// <summary>tf.greater(x, y).</summary>
    public static Tensor Create(Tensor x, Tensor y, string name = "Greater") => Build("Greater", x, y, name);
}

/// <summary>LessEqual: x &lt;= y elementwise with broadcasting (Minimum's gradient selects with it); not differentiable.</summary>
public sealed class LessEqualOp : ComparisonOp<LessEqualCmp>
{
    /// <inheritdoc/>
    public override string Type => "LessEqual";

    /// <summary>tf.less_equal(x, y).</summary>
    public static Tensor Create(Tensor x, Tensor y, string name = "LessEqual") => Build("LessEqual", x, y, name);
}
