using TfMnist.Framework;

namespace TfMnist.Ops;

/// <summary>
/// tf.nn.dropout as TF 1.x builds it, node for node: keep with probability keep_prob and scale
/// by 1/keep_prob — random_uniform(shape(x)) + keep_prob, Floor, div, mul under "dropout/".
/// </summary>
public static class Dropout
{
    public static Tensor Create(Tensor x, Tensor keepProb, int? seed = null, string name = "dropout")
    {
        var graph = x.Graph;
        using var scope = graph.NameScope(name);
        var noiseShape = ShapeOp.Create(x);
        // random_tensor = keep_prob + uniform[0, 1): floor() is 1 with probability keep_prob.
        var randomTensor = AddOp.Create(keepProb, RandomOps.RandomUniform(noiseShape, 0f, 1f, seed), "add");
        var binaryTensor = FloorOp.Create(randomTensor);
        return MulOp.Create(RealDivOp.Create(x, keepProb, "div"), binaryTensor, "mul");
    }
}
