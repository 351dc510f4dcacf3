using TfMnist.Api;
using TfMnist.Core;
using TfMnist.Framework;
using TfMnist.Ops;
using TfMnist.Runtime;

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

    private readonly Tensor _value;
    private readonly Tensor _newValue;
    private readonly Tensor _assign;

    private GlobalStep(Variable variable, Tensor newValue, Tensor assign)
    {
        Variable = variable;
        _value = variable.Value;
        _newValue = newValue;
        _assign = assign;
    }

    public Variable Variable { get; }

    /// <summary>Adds the variable and its setter to <see cref="Graph.Current"/>.</summary>
    public static GlobalStep Create()
    {
        var graph = Graph.Current;
        var variable = tf.Variable(tf.constant((NDArray)0L, name: "initial_value"), name: Name, trainable: false);
        graph.AddToCollection(Name, variable);
        using var scope = tf.name_scope(Name + "_update");
        var newValue = tf.placeholder(DType.Int64, Shape.Scalar, name: "value");
        return new GlobalStep(variable, newValue, AssignOp.Create(variable.Ref, newValue));
    }

    public long Read(Session session) => session.Run(_value)!.ScalarLong();

    public void Assign(Session session, long step) => session.Run([_assign], new FeedItem(_newValue, (NDArray)step));
}
