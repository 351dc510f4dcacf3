namespace TfMnist.Mnist;

/// <summary>The tensor-name contract between nn_train and nn_predict (and the page's server).</summary>
public static class MnistTensorNames
{
    public const string InputData = "input/inputData:0";
    public const string InputLabel = "input/inputLabel:0";
    public const string KeepProb = "dropout/keep_prob:0";
    public const string Output = "layerOutput/activation:0";
    public const string Accuracy = "accuracy/accuracy/rate:0";
}
