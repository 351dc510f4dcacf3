using TfMnist.Framework;
using TfMnist.Ops;
using TfMnist.Runtime;

namespace TfMnist.Tests.Ops;

/// <summary>The pre-TF-1.0 op type "Variable": VariableV2's attrs and semantics under the old name.</summary>
public class LegacyVariableOpTests
{
    private static Tensor LegacyVariable(Graph g, string name) =>
        OpBuilder.Create(g, "Variable", name, Array.Empty<Tensor>(),
            ("shape", Attr.Shape(new Shape(2))), ("dtype", Attr.Type(DType.Float)),
            ("container", Attr.String("")), ("shared_name", Attr.String(""))).Output;

    [Fact]
    public void AVariableOpIsAssignedReadAndUpdatedLikeVariableV2()
    {
        var g = new Graph();
        using var _ = g.AsDefault();
        var v = LegacyVariable(g, "old");
        Assert.True(v.IsRef);
        Assert.True(v.Op.Definition!.IsVariable);
        var read = IdentityOp.Create(v, "old/read");
        var assign = AssignOp.Create(v, ConstOp.Create(new NDArray(DType.Float, [2], new[] { 1f, 2f })));
        var update = ApplyGradientDescentOp.Create(v, ConstOp.Scalar(g, 0.5f, DType.Float, "lr"), ConstOp.Create(new NDArray(DType.Float, [2], new[] { 2f, 4f }), "delta"));
        using var s = new Session(g);

        var error = Assert.Throws<FailedPreconditionException>(() => s.Run(read));
        Assert.Contains("Attempting to use uninitialized value old", error.Message);
        s.Run(assign);
        Assert.Equal(new[] { 1f, 2f }, s.Run(read)!.Floats.ToArray());
        s.Run(update);
        Assert.Equal(new[] { 0f, 0f }, s.Run(read)!.Floats.ToArray());
    }
}
