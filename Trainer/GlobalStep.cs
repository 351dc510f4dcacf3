using Tensorflow;
using static Tensorflow.Binding;

namespace TfMnist.Trainer;

/// <summary>
/// TF's <c>global_step</c>: an int64 scalar variable named "global_step", not trainable, in the
/// "global_step" collection, so the checkpoint carries the number of steps trained (TF's own
/// checkpoints hold the same tensor) while the files keep the plain <c>mnist.*</c> names. Unlike
/// TF's, the train op does not increment it every step (that would add an op to the original's
/// graph and to every step): the loop counts, and the value is assigned just before each save.
/// </summary>
public sealed class GlobalStep
{
    public const string Name = "global_step";

    private readonly Tensor _newValue;
    private readonly Tensor _assign;

    private GlobalStep(RefVariable variable, Tensor newValue, Tensor assign)
    {
        Variable = variable;
        _newValue = newValue;
        _assign = assign;
    }

    public RefVariable Variable { get; }

    /// <summary>Adds the variable and its setter to the default graph.</summary>
    public static GlobalStep Create()
    {
        var variable = tf.Variable(tf.constant(0L, name: "initial_value"), name: Name, trainable: false);
        tf.add_to_collection(Name, variable);
        using var scope = tf.name_scope(Name + "_update");
        var new_value = tf.placeholder(tf.int64, Shape.Scalar, name: "value");
        return new GlobalStep(variable, new_value, variable.assign(new_value));
    }

    public long Read(Session sess) => sess.run(Variable.AsTensor());

    public void Assign(Session sess, long step) => sess.run(_assign, (_newValue, step));
}
