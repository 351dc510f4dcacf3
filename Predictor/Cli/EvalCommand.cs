using System.CommandLine;
using System.Globalization;
using System.Text;
using TfMnist.Cli;
using TfMnist.Data;
using TfMnist.Predictor.Input;

namespace TfMnist.Predictor.Cli;

/// <summary><c>eval</c>: the test set streamed in batches, so a large IDX file is never held whole.</summary>
internal sealed class EvalCommand : Command
{
    /// <summary>Images read and classified at a time.</summary>
    private const int EvalBatch = 1000;

    private readonly CommandContext _context;
    private readonly ModelCommandOptions _model;

    public EvalCommand(CommandContext context)
        : base("eval", "Accuracy and confusion matrix on the 10,000 MNIST test images")
    {
        _context = context;
        var dataDir = new Option<string>("--data-dir")
        {
            Description = "Directory with t10k-images-idx3-ubyte(.gz) and t10k-labels-idx1-ubyte(.gz)",
            DefaultValueFactory = _ => "MNIST_data",
            HelpName = "DIR",
        };
        var maxImages = MaxImagesOption();
        var json = JsonOutput.Option();
        Add(dataDir);
        Add(maxImages);
        Add(json);
        _model = ModelCommandOptions.AddTo(this);
        SetAction(p => Eval(p, p.GetValue(dataDir)!, p.GetValue(maxImages), p.GetValue(json)));
    }

    /// <summary>The cap on the images an IDX file may claim; shared in meaning with the Trainer's option.</summary>
    public static Option<int> MaxImagesOption()
    {
        var option = new Option<int>("--max-images")
        {
            Description = $"Most images (and labels) an IDX file may claim [default: {IdxReader.DefaultMaxImages}]",
            DefaultValueFactory = _ => IdxReader.DefaultMaxImages,
            HelpName = "N",
        };
        option.Validators.Add(r =>
        {
            if (r.Tokens.Count == 1 && int.TryParse(r.Tokens[0].Value, NumberStyles.None, CultureInfo.InvariantCulture, out int v) && v < 1)
                r.AddError($"--max-images must be positive (got {v}).");
        });
        return option;
    }

    private int Eval(ParseResult p, string dataDir, int maxImages, bool json)
    {
        if (!Directory.Exists(dataDir))
            throw new CommandFailedException($"data directory '{dataDir}' does not exist (pass --data-dir DIR with the MNIST files)");
        string imagesPath = FindDataFile(dataDir, "t10k-images-idx3-ubyte");
        string labelsPath = FindDataFile(dataDir, "t10k-labels-idx1-ubyte");
        // Labels first: they are small, and their count is checked against the images' header
        // before a single pixel is read.
        byte[] labels = IdxReader.ReadLabels(labelsPath, maxImages);
        using var images = IdxReader.OpenImages(imagesPath, maxImages);
        if (labels.Length != images.Count)
            throw new InputFileException(labelsPath, $"{labels.Length} labels for the {images.Count} images of {imagesPath}");

        var classifier = _model.LoadClassifier(p, _context);
        var confusion = new int[10, 10];
        int correct = 0;
        var pixels = new byte[EvalBatch * images.PixelsPerImage];
        var predicted = new int[EvalBatch];
        int pixelsPerImage = images.PixelsPerImage;
        for (int start = 0; start < images.Count; start += EvalBatch)
        {
            int n = Math.Min(EvalBatch, images.Count - start);
            images.Read(pixels, n);
            try
            {
                Parallel.For(0, n, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
                    predicted[i] = classifier.Predict(IdxReader.ToFloats(pixels.AsSpan(i * pixelsPerImage, pixelsPerImage))).Digit);
            }
            catch (AggregateException e)
            {
                // Every image fails the same way when the model does; report the first.
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(ErrorReport.Unwrap(e));
            }
            for (int i = 0; i < n; i++)
            {
                confusion[labels[start + i], predicted[i]]++;
                if (labels[start + i] == predicted[i]) correct++;
            }
        }
        double accuracy = images.Count == 0 ? 0 : (double)correct / images.Count;
        if (json)
        {
            // {"accuracy", "correct", "total", "confusion": rows by true digit, columns by predicted digit}
            var rows = Enumerable.Range(0, 10).Select(r => Enumerable.Range(0, 10).Select(c => confusion[r, c]).ToArray()).ToArray();
            JsonOutput.Write(_context.Out, new { Accuracy = accuracy, Correct = correct, Total = images.Count, Confusion = rows });
            return ExitCodes.Ok;
        }
        _context.Out.WriteLine(FormatConfusion(confusion));
        _context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"accuracy: {accuracy:0.0000} ({correct}/{images.Count})"));
        return ExitCodes.Ok;
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
        throw new CommandFailedException($"'{Path.Combine(dir, baseName)}.gz' not found (nor without .gz)");
    }
}
