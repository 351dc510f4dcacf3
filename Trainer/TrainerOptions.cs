namespace TfMnist.Trainer;

/// <summary>nn_train.py's constants, each a command-line option with the original's default.</summary>
public sealed record TrainerOptions
{
    public int HiddenUnits { get; init; } = 100;
    public int BatchSize { get; init; } = 100;
    public int Steps { get; init; } = 10000;
    public float LearningRate { get; init; } = 0.04f;
    public float KeepProb { get; init; } = 0.9f;
    public bool UseDropout { get; init; } = true;
    public bool SaveCheckpoint { get; init; } = true;
    public string DataDir { get; init; } = "MNIST_data";
    public string LogDir { get; init; } = "eventlog";
    public string ModelDir { get; init; } = "model";
    public int? Seed { get; init; }

    /// <summary>Restore the newest checkpoint in <see cref="ModelDir"/> and train <see cref="Steps"/> more steps from its global step.</summary>
    public bool Resume { get; init; }

    /// <summary>The cap on the images an IDX file may claim (--max-images).</summary>
    public int MaxImages { get; init; } = Data.IdxReader.DefaultMaxImages;

    /// <summary>Every how many steps a test-set evaluation runs (10 in the original).</summary>
    public int EvalEvery { get; init; } = 10;

    /// <summary>Every how many steps an evaluation line is printed (the original printed each one).</summary>
    public int PrintEvery { get; init; } = 100;

    /// <summary>Where to write the trained model as ONNX after a completed run (--export-onnx), or null.</summary>
    public string? ExportOnnx { get; init; }

    public string CheckpointPrefix => Path.Combine(ModelDir, "mnist");
}
