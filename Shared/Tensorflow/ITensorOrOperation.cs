namespace Tensorflow;

/// <summary>What a session can fetch: a tensor (a value) or an operation (run for its effect).</summary>
public interface ITensorOrOperation
{
    string name { get; }

    Operation op { get; }

    Graph graph { get; }
}
