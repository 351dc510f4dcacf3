namespace TfMnist.Export;

/// <summary>
/// The subgraph cannot become ONNX: an op with no mapping, a placeholder that is neither the input nor
/// fed, random values that do not fold away. The message is one line naming the node and its op type;
/// nothing has been written when it is thrown.
/// </summary>
public sealed class OnnxExportException : Exception
{
    public OnnxExportException(string message) : base(message) { }

    /// <summary>"node 'name' (Type): why".</summary>
    internal static OnnxExportException AtNode(Framework.Operation op, string why) => new($"node '{op.Name}' ({op.Type}): {why}");
}
