using System.CommandLine;
using System.Globalization;
using TfMnist.Cli;
using TfMnist.Export;
using TfMnist.Proto.Onnx;

namespace TfMnist.Predictor.Cli;

/// <summary>
/// <c>export --onnx FILE</c>: the model the other commands load (same <c>--model</c>, <c>--input</c>,
/// <c>--output</c>, <c>--keep-prob</c>, <c>--feed</c>) as an ONNX model, for ONNX Runtime, ML.NET, Windows
/// ML or Triton. An op with no ONNX mapping is one line naming the node and its type, and no file is written.
/// </summary>
internal sealed class ExportCommand : Command
{
    private readonly CommandContext _context;
    private readonly ModelCommandOptions _model;

    public ExportCommand(CommandContext context)
        : base("export", "Write the inference path (input to output, fed scalars folded) as an ONNX model")
    {
        _context = context;
        var onnx = new Option<string>("--onnx")
        {
            Description = "The ONNX file to write (replaced whole, never left half-written)",
            HelpName = "FILE",
            Required = true,
        };
        Add(onnx);
        _model = ModelCommandOptions.AddTo(this);
        SetAction(p => Export(p, p.GetValue(onnx)!));
    }

    private int Export(ParseResult p, string path)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new UsageException("--onnx needs a file name");
        string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null && !Directory.Exists(folder))
            throw new CommandFailedException($"the folder of '{path}' does not exist");
        if (_model.LoadClassifier(p, _context) is not CheckpointClassifier classifier)
            throw new CommandFailedException("export needs a model restored from a checkpoint");
        var (session, input, output, feeds) = classifier.ExportSource;
        var model = OnnxExporter.Export(session, input, output, feeds);
        OnnxExporter.WriteFile(path, model);
        _context.Out.WriteLine(Describe(path, model));
        return ExitCodes.Ok;
    }

    /// <summary>wrote model.onnx: opset 11, IR 6, 'input/inputData:0' [batch,784] -> 'layerOutput/activation:0' [batch,10], 7 nodes, 4 initializers</summary>
    private static string Describe(string path, ModelProto model)
    {
        static string Shape(ValueInfoProto v) => "[" + string.Join(",", v.Type.TensorType.Shape?.Dim.Select(d =>
            d.ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimParam ? d.DimParam : d.DimValue.ToString(CultureInfo.InvariantCulture)) ?? []) + "]";
        var graph = model.Graph;
        return $"wrote {path}: opset {model.OpsetImport[0].Version}, IR {model.IrVersion}, '{graph.Input[0].Name}' {Shape(graph.Input[0])} -> " +
               $"'{graph.Output[0].Name}' {Shape(graph.Output[0])}, {graph.Node.Count} nodes ({string.Join(" ", graph.Node.Select(n => n.OpType))}), " +
               $"{graph.Initializer.Count} initializers";
    }
}
