using System.CommandLine;
using System.Globalization;
using System.Text;
using TfMnist.Cli;
using TfMnist.Predictor.Input;

namespace TfMnist.Predictor.Cli;

/// <summary>
/// The command line: <c>predict FILE...</c>, <c>eval</c>, <c>serve</c>, with model options shared by all.
/// Exit codes follow <see cref="ExitCodes"/>: 0 success; 1 error (unreadable input, data or model);
/// 2 usage (bad options or arguments). Every failure is one line on stderr; <c>--verbose</c> adds
/// the stack trace.
/// </summary>
public sealed partial class PredictorCli
{

    private readonly Func<ModelOptions, IDigitClassifier> _factory;
    private readonly TextWriter _out;
    private readonly TextWriter _err;

    private readonly Option<string> _model = StringOption("--model", "Directory with the trained checkpoint", ModelOptions.DefaultModelDirectory, "DIR");
    private readonly Option<string> _input = StringOption("--input", "Input placeholder tensor name", ModelOptions.DefaultInputTensor, "NAME");
    // The default output is the logits (layerOutput/activation); a Softmax output is used as it is.
    private readonly Option<string> _output = StringOption("--output", "Output tensor name (logits, or a Softmax)", ModelOptions.DefaultOutputTensor, "NAME");
    private readonly Option<string> _keepProb = StringOption("--keep-prob",
        "Dropout keep-probability placeholder, fed 1.0 (skipped when absent from the graph)", ModelOptions.DefaultKeepProbTensor, "NAME");

    /// <summary>A string option shared by every command, with a default.</summary>
    private static Option<string> StringOption(string name, string description, string defaultValue, string helpName) => new(name)
    {
        Description = description,
        DefaultValueFactory = _ => defaultValue,
        HelpName = helpName,
        Recursive = true,
    };
    private readonly Option<bool> _verbose = new("--verbose")
    {
        Description = "Print the stack trace of an error after its one-line message",
        Recursive = true,
    };
    private readonly Option<string[]> _feed = new("--feed")
    {
        Description = "Extra scalar feed, repeatable",
        HelpName = "NAME=VALUE",
        Recursive = true,
        DefaultValueFactory = _ => [],
    };

    public PredictorCli(Func<ModelOptions, IDigitClassifier> factory, TextWriter stdout, TextWriter stderr)
    {
        _factory = factory ?? throw new ArgumentNullException(nameof(factory));
        _out = stdout ?? throw new ArgumentNullException(nameof(stdout));
        _err = stderr ?? throw new ArgumentNullException(nameof(stderr));
    }

    /// <summary>Parses and runs; returns the exit code.</summary>
    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken = default)
    {
        bool verbose = ErrorReport.IsVerbose(args);
        try
        {
            var root = BuildCommand();
            var parse = root.Parse(args);
            if (parse.Errors.Count > 0)
            {
                // One line: the first error and where to read the usage.
                _err.WriteLine($"error: {ErrorReport.OneLine(parse.Errors[0].Message)} (run 'Predictor --help' for usage)");
                return ExitCodes.Usage;
            }
            return await parse.InvokeAsync(new InvocationConfiguration
            {
                Output = _out,
                Error = _err,
                EnableDefaultExceptionHandler = false,
                ProcessTerminationTimeout = null, // serve handles SIGINT/SIGTERM itself
            }, cancellationToken);
        }
        catch (Exception e)
        {
            return ErrorReport.Write(_err, e, verbose);
        }
    }

    public RootCommand BuildCommand()
    {
        var root = new RootCommand("TfMnist predictor: name handwritten digits with the trained 784-100-10 network.");
        root.Add(_model);
        root.Add(_input);
        root.Add(_output);
        root.Add(_keepProb);
        root.Add(_feed);
        root.Add(_verbose);

        var files = new Argument<string[]>("FILE")
        {
            Description = "PNG/JPEG/BMP image (any size, converted like MNIST), 28x28 text grid of 0/1 or ./#, or IDX images file as FILE@INDEX",
            Arity = ArgumentArity.OneOrMore,
        };
        var predict = new Command("predict", "Print the predicted digit and the ten probabilities for each file") { files };
        predict.SetAction(p => Guard(p, () => Predict(p, p.GetValue(files) ?? [])));
        root.Add(predict);

        root.Add(BuildEvalCommand());
        root.Add(BuildServeCommand());
        return root;
    }

    /// <summary>Model options from the command line; also checks the model directory exists.</summary>
    private ModelOptions ReadModelOptions(ParseResult p)
    {
        var feeds = new List<ScalarFeed>();
        foreach (string spec in p.GetValue(_feed) ?? [])
        {
            try
            {
                feeds.Add(ScalarFeed.Parse(spec));
            }
            catch (FormatException e)
            {
                throw new UsageException(e.Message);
            }
        }
        string dir = p.GetValue(_model)!;
        if (!Directory.Exists(dir))
            throw new CommandFailedException($"model directory '{dir}' does not exist (train first with 'dotnet run --project Trainer', or pass --model DIR)");
        return new ModelOptions(dir, p.GetValue(_input)!, p.GetValue(_output)!, p.GetValue(_keepProb)!, feeds);
    }

    private IDigitClassifier LoadClassifier(ParseResult p) => _factory(ReadModelOptions(p));

    private int Predict(ParseResult p, string[] files)
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
                _err.WriteLine($"error: {e.Message}");
                failures++;
            }
        }
        if (inputs.Count == 0)
            return ExitCodes.Error;

        var classifier = LoadClassifier(p);
        foreach (var (name, pixels) in inputs)
        {
            var prediction = classifier.Predict(pixels);
            _out.WriteLine($"{name}: {prediction.Digit}");
            _out.WriteLine("  " + FormatProbabilities(prediction.Probabilities));
        }
        return failures == 0 ? ExitCodes.Ok : ExitCodes.Error;
    }

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

    private int Guard(ParseResult p, Func<int> action) => GuardAsync(p, () => Task.FromResult(action())).GetAwaiter().GetResult();

    private async Task<int> GuardAsync(ParseResult p, Func<Task<int>> action)
    {
        try
        {
            return await action();
        }
        catch (ModelLoadException e)
        {
            return ErrorReport.Write(_err, e, p.GetValue(_verbose), "cannot load the model: ");
        }
        catch (Exception e)
        {
            return ErrorReport.Write(_err, e, p.GetValue(_verbose));
        }
    }

    /// <summary>A failure found by the command itself (missing directory or file): exit code 1.</summary>
    private sealed class CommandFailedException(string message) : Exception(message);
}
