namespace TfMnist.Predictor;

/// <summary>An extra scalar fed into the graph on every run (from <c>--feed NAME=VALUE</c>).</summary>
/// <param name="Tensor">Tensor name, e.g. <c>dropout/keep_prob:0</c>.</param>
/// <param name="Text">The value as written on the command line.</param>
/// <param name="Value">The value as a number; <c>true</c>/<c>false</c> read as 1/0.</param>
public sealed record ScalarFeed(string Tensor, string Text, double Value)
{
    /// <summary>Parses <c>NAME=VALUE</c>; VALUE is a number or true/false.</summary>
    /// <exception cref="FormatException">With a message saying what is wrong.</exception>
    public static ScalarFeed Parse(string spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        int eq = spec.LastIndexOf('=');
        if (eq <= 0 || eq == spec.Length - 1)
            throw new FormatException($"--feed '{spec}' must look like NAME=VALUE, e.g. dropout/keep_prob:0=1.0");
        string name = spec[..eq].Trim();
        string text = spec[(eq + 1)..].Trim();
        double value;
        if (string.Equals(text, "true", StringComparison.OrdinalIgnoreCase))
            value = 1;
        else if (string.Equals(text, "false", StringComparison.OrdinalIgnoreCase))
            value = 0;
        else if (!double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out value) || !double.IsFinite(value))
            throw new FormatException($"--feed '{spec}': '{text}' is not a number or true/false");
        if (name.Length == 0)
            throw new FormatException($"--feed '{spec}' has an empty tensor name");
        return new ScalarFeed(name, text, value);
    }
}

/// <summary>
/// Where the model is and which tensors of its graph to use. Passed to
/// <see cref="ClassifierFactory.Create"/>.
/// </summary>
/// <param name="ModelDirectory">Directory holding the checkpoint (<c>checkpoint</c>, <c>*.meta</c>, <c>*.index</c>, <c>*.data-*</c>).</param>
/// <param name="InputTensor">The placeholder fed with a [1, 784] float batch.</param>
/// <param name="OutputTensor">The softmax output, [1, 10].</param>
/// <param name="KeepProbTensor">The dropout keep-probability placeholder, fed 1.0; optional: skipped when the graph has no such tensor.</param>
/// <param name="ExtraFeeds">Further scalar feeds from <c>--feed</c>.</param>
public sealed record ModelOptions(
    string ModelDirectory,
    string InputTensor = ModelOptions.DefaultInputTensor,
    string OutputTensor = ModelOptions.DefaultOutputTensor,
    string KeepProbTensor = ModelOptions.DefaultKeepProbTensor,
    IReadOnlyList<ScalarFeed>? ExtraFeeds = null)
{
    public const string DefaultModelDirectory = "model";
    public const string DefaultInputTensor = "input/inputData:0";
    public const string DefaultOutputTensor = "layerOutput/activation:0";
    public const string DefaultKeepProbTensor = "dropout/keep_prob:0";

    /// <summary>Extra feeds, never null.</summary>
    public IReadOnlyList<ScalarFeed> Feeds => ExtraFeeds ?? [];
}
