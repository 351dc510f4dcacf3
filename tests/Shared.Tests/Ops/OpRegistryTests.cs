using TfMnist.Ops;

namespace TfMnist.Tests.Ops;

public class OpRegistryTests
{
    [Fact]
    public void EveryOpHasExactlyOneOfGradientOrNotDifferentiable()
    {
        var neither = OpRegistry.All.Where(d => d.Gradient is null && !d.IsNotDifferentiable).Select(d => d.Type).ToList();
        var both = OpRegistry.All.Where(d => d.Gradient is not null && d.IsNotDifferentiable).Select(d => d.Type).ToList();
        Assert.True(neither.Count == 0, "No gradient and not marked NotDifferentiable: " + string.Join(", ", neither));
        Assert.True(both.Count == 0, "Both a gradient and NotDifferentiable: " + string.Join(", ", both));
    }

    [Theory]
    [InlineData("Const", "Placeholder", "Identity", "Shape", "Fill", "ZerosLike", "OnesLike", "Reshape", "BroadcastGradientArgs",
        "Tile", "NoOp", "Add", "AddV2", "AddN", "Sum", "Sub", "Mul", "RealDiv", "Neg")]
    [InlineData("Round", "Floor", "Square", "Sqrt", "SqrtGrad", "Mean", "Max", "Min", "Prod", "ArgMax", "Equal", "GreaterEqual",
        "Cast", "Maximum", "FloorDiv", "FloorMod", "Select", "Range", "MatMul")]
    [InlineData("Rank", "Size", "ShapeN", "Slice", "Pad", "ConcatV2", "ConcatOffset", "Pack", "Unpack", "ExpandDims", "Squeeze",
        "StopGradient", "DynamicStitch")]
    [InlineData("VariableV2", "Assign", "ApplyGradientDescent", "ApplyAdam", "ApplyMomentum", "RandomStandardNormal", "RandomUniform",
        "TruncatedNormal")]
    [InlineData("Log", "Log1p", "Reciprocal", "ReciprocalGrad", "Tanh", "TanhGrad", "Sigmoid", "SigmoidGrad", "Abs", "Sign", "Less", "Greater",
        "LessEqual", "Minimum", "Pow", "AssignAdd")]
    public void OpTypesAreRegistered(params string[] types)
    {
        foreach (var type in types)
        {
            var definition = OpRegistry.Lookup(type);
            Assert.True(definition is not null, $"'{type}' is not registered");
            Assert.Equal(type, definition!.Type);
        }
    }

    [Fact]
    public void NotDifferentiableOpsAreTheOnesTfMarks()
    {
        string[] expected = ["ArgMax", "Equal", "GreaterEqual", "Rank", "Size", "ShapeN", "Shape", "Range", "ConcatOffset", "StopGradient",
            "RandomStandardNormal", "RandomUniform", "TruncatedNormal", "Assign", "ApplyGradientDescent", "ApplyAdam", "ApplyMomentum",
            "Less", "Greater", "LessEqual", "AssignAdd"];
        foreach (var type in expected) Assert.True(OpRegistry.Lookup(type)!.IsNotDifferentiable, type);
    }
}
