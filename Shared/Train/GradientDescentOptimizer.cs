using TfMnist.Core;
using TfMnist.Framework;
using TfMnist.Ops;

namespace TfMnist.Train;

/// <summary>Plain SGD: var -= learning_rate * grad, through one ApplyGradientDescent per variable.</summary>
public sealed class GradientDescentOptimizer(float learningRate, string name = "GradientDescent") : Optimizer(name)
{
    private Tensor? _learningRateTensor;

    public float LearningRate { get; } = learningRate;

    protected override void Prepare(Graph graph) =>
        _learningRateTensor = ConstOp.Scalar(graph, LearningRate, DType.Float, "learning_rate");

    protected override Operation ApplyDense(Tensor gradient, Variable variable) =>
        ApplyGradientDescentOp.Create(variable.Ref, _learningRateTensor!, gradient).Op;
}
