namespace TfMnist.Framework;

/// <summary>TF's standard collection names (tf.GraphKeys).</summary>
public static class GraphKeys
{
    public const string GlobalVariables = "variables";
    public const string TrainableVariables = "trainable_variables";
    public const string Summaries = "summaries";
    public const string TrainOp = "train_op";
}
