using Tensorflow;
using Tensorflow.NumPy;
using static Tensorflow.Binding;

namespace TfMnist.Tests.TfNet;

/// <summary>What the facade builds: TF 1.x's node names and structures for operators, constants and variables.</summary>
public sealed class FacadeGraphTests
{
    [Fact]
    public void OperatorsNameTheirOpsAndScalarOperandsAsPythonDoes()
    {
        using var graph = tf.Graph().as_default();
        var x = tf.placeholder(tf.float32, name: "x");
        Assert.Equal("mul:0", (x * 2f).name);
        Assert.Equal("Const", graph.get_operation_by_name("mul/y").type);
        Assert.Equal("mul_1:0", (3 * x).name);
        Assert.Equal(TF_DataType.TF_FLOAT, graph.get_tensor_by_name("mul_1/x:0").dtype);
        Assert.Equal("truediv:0", (x / x).name);
        Assert.Equal("Neg:0", (-x).name);
        Assert.Equal("Greater:0", (x > 0).name);
        Assert.Equal(TF_DataType.TF_BOOL, (x <= 1.5).dtype);
        Assert.Equal("Less", (x < tf.zeros_like(x)).op.type);
        Assert.Equal("GreaterEqual", (x >= 0f).op.type);
    }

    [Fact]
    public void ZerosIsAConstantWhenSmallAndAFillWhenLarge()
    {
        using var graph = tf.Graph().as_default();
        Assert.Equal("Const", tf.zeros(10).op.type);
        var large = tf.zeros((784, 10));
        Assert.Equal("Fill", large.op.type);
        Assert.Equal("zeros_1:0", large.name);
        Assert.Equal("zeros_1/shape_as_tensor", large.op.inputs[0].op.name);
        Assert.Equal(new Shape(784, 10), large.shape);
        using var sess = tf.Session(graph);
        Assert.All(sess.run(tf.ones((2, 3), name: "o")).ToArray<float>(), v => Assert.Equal(1f, v));
        Assert.Equal([0.5f, 0.5f, 0.5f], sess.run(tf.constant(0.5f, shape: 3)).ToArray<float>());
    }

    [Fact]
    public void ShapesConvertFromTuplesIntsArraysAndCollections()
    {
        Shape fromTuple = (-1, 784), fromInt = 10, fromArray = new[] { 2, 3, 4 }, fromCollection = [5L, 6L];
        Assert.Equal("(-1, 784)", fromTuple.ToString());
        Assert.Equal(1, fromInt.ndim);
        Assert.Equal(24, fromArray.size);
        Assert.Equal(6L, fromCollection[-1]);
        Assert.Equal(-1, Shape.Null.ndim);
        Assert.Equal("()", Shape.Scalar.ToString());
        Shape legacy = new TensorShape(-1, 10);
        Assert.Equal(new Shape(-1, 10), legacy);
        Axis axis = 1;
        Assert.Equal([1], axis.axis);
    }

    [Fact]
    public void VariablesAndGetVariableKeepTfNamesAndReuseRules()
    {
        using var graph = tf.Graph().as_default();
        var v = tf.Variable(tf.zeros(3), name: "v");
        Assert.Equal("v:0", v.name);
        Assert.Equal("v/read:0", v.AsTensor().name);
        RefVariable w;
        using (tf.variable_scope("layer"))
            w = tf.compat.v1.get_variable("W", shape: (3, 2), initializer: tf.glorot_uniform_initializer);
        Assert.Equal("layer/W:0", w.name);
        Assert.Equal(new Shape(3, 2), w.shape);
        var again = Assert.ThrowsAny<Exception>(() =>
        {
            using (tf.variable_scope("layer")) tf.get_variable("W", shape: (3, 2));
        });
        Assert.Contains("already exists", again.Message);
        tf_with(tf.variable_scope("layer", reuse: true), _ => Assert.Same(w, tf.get_variable("W", shape: (3, 2))));
        var b = tf.get_variable("b", initializer: tf.constant(0.1f, shape: 2));
        Assert.Equal(new Shape(2), b.shape);
        Assert.Equal(3, tf.global_variables().Length);
        Assert.Equal(3, tf.trainable_variables().Length);
    }

    [Fact]
    public void NDArraysConvertIndexAndReshapeAsViews()
    {
        var buffer = new float[6];
        NDArray flat = buffer;
        var matrix = flat.reshape((2, -1));
        Assert.Equal(new Shape(2, 3), matrix.shape);
        buffer[4] = 7f;
        Assert.Equal(7f, (float)matrix[1][1]);
        Assert.Equal(7f, (float)matrix[1, 1]);
        Assert.Equal(4, matrix.argmax());
        Assert.Equal("[[0, 0, 0],\n[0, 7, 0]]", matrix.ToString());
        Assert.Throws<IndexError>(() => matrix[2]);
        Assert.Equal([0, 1, 2], np.arange(3).ToArray<int>());
        Assert.Equal([1L, 0L], np.argmax(np.array(new float[,] { { 0, 1 }, { 2, 1 } }), axis: 1).ToArray<long>());
    }
}
