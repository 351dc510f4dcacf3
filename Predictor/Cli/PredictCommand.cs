using System.CommandLine;
using System.Globalization;
using System.Text;
using TfMnist.Cli;
using TfMnist.Predictor.Input;

namespace TfMnist.Predictor.Cli;

/// <summary><c>predict FILE...</c>: the digit and the ten probabilities for each file.</summary>
internal sealed class PredictCommand : Command
{
    private readonly CommandContext _context;
    private readonly ModelCommandOptions _model;

    public PredictCommand(CommandContext context)
        : base("predict", "Print the predicted digit and the ten probabilities for each file")
    {
        _context = context;
        var files = new Argument<string[]>("FILE")
        {
            Description = "PNG/JPEG/BMP image (any size, converted like MNIST), 28x28 text grid of 0/1 or ./#, or IDX images file as FILE@INDEX",
            Arity = ArgumentArity.OneOrMore,
        };
        var json = JsonOutput.Option();
        Add(files);
        Add(json);
        _model = ModelCommandOptions.AddTo(this);
        SetAction(p => Predict(p, p.GetValue(files) ?? [], p.GetValue(json)));
    }

    private int Predict(ParseResult p, string[] files, bool json)
    {
        // Read every input first, so a typo in a file name is reported before the model loads.
        var inputs = new List<(string Name, float[] Pixels)>();
        int failures = 0;
        foreach (string file in files)
        {
            try
            {
                inputs.Add((file, InputLoader.Load(file)));
            }
            catch (InputFileException e)
            {
                _context.Err.WriteLine($"error: {e.Message}");
                failures++;
            }
        }
        if (inputs.Count == 0)
            return ExitCodes.Error;

        var classifier = _model.LoadClassifier(p, _context);
        var predictions = new List<PredictionDocument>();
        foreach (var (name, pixels) in inputs)
        {
            var prediction = classifier.Predict(pixels);
            if (json)
            {
                predictions.Add(new PredictionDocument(name, prediction.Digit, prediction.Probabilities));
                continue;
            }
            _context.Out.WriteLine($"{name}: {prediction.Digit}");
            _context.Out.WriteLine("  " + FormatProbabilities(prediction.Probabilities));
        }
        // Unreadable files stay one line each on stderr, as without --json.
        if (json) JsonOutput.Write(_context.Out, new { Predictions = predictions });
        return failures == 0 ? ExitCodes.Ok : ExitCodes.Error;
    }

    /// <summary>One file's prediction under <c>--json</c>: <c>{"file", "digit", "probabilities"}</c>.</summary>
    private sealed record PredictionDocument(string File, int Digit, IReadOnlyList<float> Probabilities);

    /// <summary><c>0:0.0001 1:0.0000 ... 9:0.0021</c></summary>
    public static string FormatProbabilities(IReadOnlyList<float> probabilities)
    {
        var sb = new StringBuilder();
        for (int i = 0; i < probabilities.Count; i++)
        {
            if (i > 0) sb.Append(' ');
            sb.Append(CultureInfo.InvariantCulture, $"{i}:{probabilities[i]:0.0000}");
        }
        return sb.ToString();
    }
}
