using System.CommandLine;
using System.Globalization;
using System.Text;
using TfMnist.Predictor.Input;
using TfMnist.Predictor.Web;

namespace TfMnist.Predictor.Cli;

/// <summary>
/// The command line: <c>predict FILE...</c>, <c>eval</c>, <c>serve</c>, with model options shared by all.
/// Exit codes: 0 success; 1 the model could not be loaded or failed; 2 bad usage or bad input
/// (unreadable file, missing model or data directory). Errors are one line on stderr, no stack trace.
/// </summary>
public sealed class PredictorCli
{
    public const int ExitOk = 0;
    public const int ExitModelError = 1;
    public const int ExitInputError = 2;

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
        var root = BuildCommand();
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var e in parse.Errors)
                _err.WriteLine($"error: {e.Message}");
            _err.WriteLine("Run 'Predictor --help' for usage.");
            return ExitInputError;
        }
        return await parse.InvokeAsync(new InvocationConfiguration { Output = _out, Error = _err, EnableDefaultExceptionHandler = false }, cancellationToken);
    }

    public RootCommand BuildCommand()
    {
        var root = new RootCommand("TfMnist predictor: name handwritten digits with the trained 784-100-10 network.");
        root.Add(_model);
        root.Add(_input);
        root.Add(_output);
        root.Add(_keepProb);
        root.Add(_feed);

        var files = new Argument<string[]>("FILE")
        {
            Description = "PNG/JPEG/BMP image (any size, converted like MNIST), 28x28 text grid of 0/1 or ./#, or IDX images file as FILE@INDEX",
            Arity = ArgumentArity.OneOrMore,
        };
        var predict = new Command("predict", "Print the predicted digit and the ten probabilities for each file") { files };
        predict.SetAction(p => Guard(() => Predict(p, p.GetValue(files) ?? [])));
        root.Add(predict);

        var dataDir = new Option<string>("--data-dir")
        {
            Description = "Directory with t10k-images-idx3-ubyte(.gz) and t10k-labels-idx1-ubyte(.gz)",
            DefaultValueFactory = _ => "MNIST_data",
            HelpName = "DIR",
        };
        var eval = new Command("eval", "Accuracy and confusion matrix on the 10,000 MNIST test images") { dataDir };
        eval.SetAction(p => Guard(() => Eval(p, p.GetValue(dataDir)!)));
        root.Add(eval);

        var port = new Option<int>("--port")
        {
            Description = "TCP port on 127.0.0.1 (0 picks a free one)",
            DefaultValueFactory = _ => 8000,
        };
        port.Validators.Add(r =>
        {
            int v = r.GetValueOrDefault<int>();
            if (v is < 0 or > 65535)
                r.AddError($"--port {v} is outside 0..65535");
        });
        var serve = new Command("serve", "Serve the drawing page and POST /api/predict on http://127.0.0.1:PORT/") { port };
        serve.SetAction((p, ct) => GuardAsync(() => ServeAsync(p, p.GetValue(port), ct)));
        root.Add(serve);
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
            throw new UsageException($"model directory '{dir}' does not exist (train first with 'dotnet run --project Trainer', or pass --model DIR)");
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
            return ExitInputError;

        var classifier = LoadClassifier(p);
        foreach (var (name, pixels) in inputs)
        {
            var prediction = classifier.Predict(pixels);
            _out.WriteLine($"{name}: {prediction.Digit}");
            _out.WriteLine("  " + FormatProbabilities(prediction.Probabilities));
        }
        return failures == 0 ? ExitOk : ExitInputError;
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

    private int Eval(ParseResult p, string dataDir)
    {
        if (!Directory.Exists(dataDir))
            throw new UsageException($"data directory '{dataDir}' does not exist (pass --data-dir DIR with the MNIST files)");
        string imagesPath = FindDataFile(dataDir, "t10k-images-idx3-ubyte");
        string labelsPath = FindDataFile(dataDir, "t10k-labels-idx1-ubyte");
        var images = IdxReader.ReadImages(imagesPath);
        byte[] labels = IdxReader.ReadLabels(labelsPath);
        if (images.Rows != 28 || images.Columns != 28)
            throw new InputFileException(imagesPath, $"images are {images.Rows}x{images.Columns}, expected 28x28");
        if (labels.Length != images.Count)
            throw new InputFileException(labelsPath, $"{labels.Length} labels for {images.Count} images");

        var classifier = LoadClassifier(p);
        var predicted = new int[images.Count];
        Parallel.For(0, images.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            predicted[i] = classifier.Predict(images.GetImage(i)).Digit;
        });

        var confusion = new int[10, 10];
        int correct = 0;
        for (int i = 0; i < predicted.Length; i++)
        {
            confusion[labels[i], predicted[i]]++;
            if (labels[i] == predicted[i]) correct++;
        }
        _out.WriteLine(FormatConfusion(confusion));
        double accuracy = images.Count == 0 ? 0 : (double)correct / images.Count;
        _out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"accuracy: {accuracy:0.0000} ({correct}/{images.Count})"));
        return ExitOk;
    }

    /// <summary>Rows: true digit; columns: predicted digit; plus per-row recall.</summary>
    public static string FormatConfusion(int[,] confusion)
    {
        var sb = new StringBuilder();
        sb.AppendLine("confusion matrix (rows: true digit, columns: predicted digit)");
        sb.Append("true\\pred");
        for (int c = 0; c < 10; c++) sb.Append(CultureInfo.InvariantCulture, $"{c,6}");
        sb.AppendLine("  recall");
        for (int r = 0; r < 10; r++)
        {
            sb.Append(CultureInfo.InvariantCulture, $"{r,9}");
            int total = 0;
            for (int c = 0; c < 10; c++)
            {
                sb.Append(CultureInfo.InvariantCulture, $"{confusion[r, c],6}");
                total += confusion[r, c];
            }
            double recall = total == 0 ? 0 : (double)confusion[r, r] / total;
            sb.Append(CultureInfo.InvariantCulture, $"  {recall:0.0000}");
            if (r < 9) sb.AppendLine();
        }
        return sb.ToString();
    }

    private static string FindDataFile(string dir, string baseName)
    {
        foreach (string candidate in new[] { baseName + ".gz", baseName })
        {
            string path = Path.Combine(dir, candidate);
            if (File.Exists(path)) return path;
        }
        throw new UsageException($"'{Path.Combine(dir, baseName)}.gz' not found (nor without .gz)");
    }

    private async Task<int> ServeAsync(ParseResult p, int port, CancellationToken ct)
    {
        var classifier = LoadClassifier(p);
        var app = PredictorServer.Build(classifier, port, consoleLogging: true);
        try
        {
            await app.StartAsync(ct);
        }
        catch (IOException e)
        {
            await app.DisposeAsync();
            throw new UsageException($"cannot listen on 127.0.0.1:{port}: {e.Message}");
        }
        Uri url = PredictorServer.GetUrl(app);
        _out.WriteLine($"Serving the drawing page at {url}ocr.html — POST {url}api/predict. Ctrl+C stops.");
        try
        {
            await Task.Delay(Timeout.Infinite, ct);
        }
        catch (OperationCanceledException)
        {
        }
        await app.StopAsync(CancellationToken.None);
        await app.DisposeAsync();
        return ExitOk;
    }

    private int Guard(Func<int> action) => GuardAsync(() => Task.FromResult(action())).GetAwaiter().GetResult();

    private async Task<int> GuardAsync(Func<Task<int>> action)
    {
        try
        {
            return await action();
        }
        catch (UsageException e)
        {
            _err.WriteLine($"error: {e.Message}");
            return ExitInputError;
        }
        catch (InputFileException e)
        {
            _err.WriteLine($"error: {e.Message}");
            return ExitInputError;
        }
        catch (ModelLoadException e)
        {
            _err.WriteLine($"error: cannot load the model: {e.Message}");
            return ExitModelError;
        }
        catch (NotImplementedException e)
        {
            _err.WriteLine($"error: {e.Message}");
            return ExitModelError;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException or ArgumentException)
        {
            _err.WriteLine($"error: {e.GetType().Name}: {e.Message}");
            return ExitModelError;
        }
    }

    private sealed class UsageException(string message) : Exception(message);
}
