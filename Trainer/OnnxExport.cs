using TfMnist.Checkpoint;
using TfMnist.Export;
using TfMnist.Framework;
using TfMnist.Mnist;
using TfMnist.Runtime;
using TfMnist.Saving;

namespace TfMnist.Trainer;

/// <summary>
/// <c>--export-onnx FILE</c>: after a completed run, the checkpoint it just saved restored as the Predictor
/// restores it (import_meta_graph, latest_checkpoint) and written as an ONNX model: input/inputData:0 to
/// layerOutput/activation:0 (the logits), keep_prob fed 1 so the dropout folds away.
/// </summary>
public static class OnnxExport
{
    /// <summary>Checks, before training, what would make the export fail after it.</summary>
    /// <exception cref="Cli.UsageException">No checkpoint will be saved, or the file's folder does not exist.</exception>
    public static void Validate(TrainerOptions options)
    {
        if (options.ExportOnnx is not { } path) return;
        if (!options.SaveCheckpoint)
            throw new Cli.UsageException("--export-onnx exports the saved checkpoint, so it cannot be combined with --no-checkpoint");
        string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null && !Directory.Exists(folder))
            throw new Cli.UsageException($"--export-onnx '{path}': the folder '{folder}' does not exist");
    }

    /// <summary>Exports the newest checkpoint in <see cref="TrainerOptions.ModelDir"/>; returns the line to print.</summary>
    public static string Write(TrainerOptions options)
    {
        string path = options.ExportOnnx ?? throw new InvalidOperationException("no --export-onnx file");
        string prefix = CheckpointState.LatestCheckpoint(options.ModelDir)
            ?? throw new InvalidOperationException($"no checkpoint in '{options.ModelDir}' to export");
        var graph = new Graph();
        var saver = MetaGraphImporter.Import(graph, prefix + ".meta")
            ?? throw new InvalidDataException($"'{prefix}.meta' holds no SaverDef");
        using var session = new Session(graph);
        saver.Restore(session, prefix);
        var input = graph.GetTensorByName(MnistTensorNames.InputData);
        var output = graph.GetTensorByName(MnistTensorNames.Output);
        FeedItem[] feeds = graph.TryGetOperation(MnistTensorNames.KeepProb[..^2], out var keepProb) ? [(keepProb.Output, 1f)] : [];
        var model = OnnxExporter.Export(session, input, output, feeds);
        OnnxExporter.WriteFile(path, model);
        return $"ONNX model: {path} (opset {model.OpsetImport[0].Version}, '{input.Name}' -> '{output.Name}', the logits; " +
               $"run it with ONNX Runtime, or 'Predictor export --onnx FILE' for another checkpoint)";
    }
}
