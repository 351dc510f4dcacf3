namespace TfMnist.Predictor;

/// <summary>
/// THE seam where the real model plugs in. Every command (<c>predict</c>, <c>eval</c>, <c>serve</c>)
/// obtains its classifier through <see cref="Create"/>, passed as a
/// <see cref="Func{ModelOptions, IDigitClassifier}"/> into <see cref="Cli.PredictorCli"/>.
/// </summary>
public static class ClassifierFactory
{
    /// <summary>
    /// Loads the trained network from <see cref="ModelOptions.ModelDirectory"/> (import_meta_graph +
    /// restore, tensors looked up by the names in <paramref name="options"/>).
    /// The directory has already been checked to exist. Throw <see cref="ModelLoadException"/>
    /// with a one-line message for anything the user can fix.
    /// </summary>
    public static IDigitClassifier Create(ModelOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new CheckpointClassifier(options);
    }
}
