using System.Text;

namespace TfMnist.Data;

/// <summary>
/// The three MNIST splits, as returned by TF 1.x's
/// <c>input_data.read_data_sets(train_dir, one_hot=..., validation_size=5000, seed=None)</c>:
/// the first <c>validationSize</c> training images become <see cref="Validation"/>, the rest
/// <see cref="Train"/>, and the t10k files <see cref="Test"/>.
/// </summary>
public sealed class MnistDataSets(DataSet train, DataSet validation, DataSet test)
{
    public DataSet Train { get; } = train;

    public DataSet Validation { get; } = validation;

    public DataSet Test { get; } = test;

    /// <summary>
    /// Loads MNIST from <paramref name="dir"/>, downloading missing files first (unless
    /// <paramref name="download"/> disables it). Files may be gzipped, gunzipped or inside an archive.
    /// </summary>
    /// <param name="oneHot">Batches carry one-hot labels instead of digits.</param>
    /// <param name="validationSize">How many leading training images to hold out, 0 to all of them.</param>
    /// <param name="seed">Seeds the batch shuffling of all three splits; null for a random seed.</param>
    /// <param name="download">Mirrors, checksums and progress reporting; null for the defaults.</param>
    /// <param name="maxImages">The cap on the images (and labels) one file may claim (<see cref="IdxReader.DefaultMaxImages"/>).</param>
    /// <exception cref="MnistDataException">Files missing and not downloadable, or malformed.</exception>
    public static MnistDataSets ReadDataSets(
        string dir, bool oneHot = true, int validationSize = 5000, int? seed = null,
        MnistDownloadOptions? download = null, CancellationToken cancellation = default, int maxImages = IdxReader.DefaultMaxImages)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(validationSize);
        var sources = LocateOrDownload(dir, download ?? new MnistDownloadOptions(), cancellation);

        // Decompression is single-threaded, so the test set is read and converted on another core
        // while the (six times larger) training set is read here.
        var testTask = Task.Run(() =>
        {
            var (images, labels) = ReadPair(sources[MnistFiles.TestImages], sources[MnistFiles.TestLabels], maxImages);
            return new DataSet(images.Pixels.AsMemory(), labels, oneHot, seed);
        }, cancellation);
        IdxImages trainImages;
        byte[] trainLabels;
        try
        {
            (trainImages, trainLabels) = ReadPair(sources[MnistFiles.TrainImages], sources[MnistFiles.TrainLabels], maxImages);
        }
        catch
        {
            // The training error is the one reported; still observe the test task's outcome.
            testTask.ContinueWith(t => t.Exception, TaskContinuationOptions.OnlyOnFaulted);
            throw;
        }
        var test = testTask.GetAwaiter().GetResult();

        if (validationSize > trainImages.Count)
            throw new ArgumentOutOfRangeException(nameof(validationSize), validationSize,
                $"Validation size should be between 0 and {trainImages.Count}. Received: {validationSize}.");

        // Slicing the byte arrays before the float conversion keeps peak memory to one float copy.
        int splitPixel = validationSize * DataSet.ImageSize;
        var validation = new DataSet(trainImages.Pixels.AsMemory(0, splitPixel), trainLabels.AsSpan(0, validationSize), oneHot, seed);
        var train = new DataSet(trainImages.Pixels.AsMemory(splitPixel), trainLabels.AsSpan(validationSize), oneHot, seed);
        return new MnistDataSets(train, validation, test);
    }

    private static Dictionary<string, IdxSource> LocateOrDownload(
        string dir, MnistDownloadOptions download, CancellationToken cancellation)
    {
        var found = new Dictionary<string, IdxSource>(MnistFileLocator.Locate(dir, MnistFiles.BaseNames));
        var missing = MnistFiles.BaseNames.Where(name => !found.ContainsKey(name)).ToList();
        if (missing.Count == 0) return found;
        if (!download.Enabled)
            throw new MnistDataException(MissingFilesMessage(dir, missing, "downloading is disabled."));

        var downloader = new MnistDownloader(download);
        foreach (string baseName in missing)
        {
            var spec = download.Files.FirstOrDefault(f => f.FileName == baseName + ".gz")
                ?? throw new MnistDataException(MissingFilesMessage(dir, missing, $"no download is configured for {baseName}.gz."));
            try
            {
                Directory.CreateDirectory(dir);
                found[baseName] = new LooseIdxFile(downloader.Download(dir, spec, cancellation));
            }
            catch (MnistDataException e)
            {
                throw new MnistDataException(MissingFilesMessage(dir, missing, e.Message), e);
            }
        }
        return found;
    }

    /// <summary>What to do when the data is not there: which four files, and where to put them.</summary>
    private static string MissingFilesMessage(string dir, IReadOnlyCollection<string> missing, string reason)
    {
        var message = new StringBuilder();
        message.AppendLine($"MNIST data is incomplete in {Path.GetFullPath(dir)} and could not be downloaded: {reason}");
        message.AppendLine("Put these four files into that directory:");
        foreach (string baseName in MnistFiles.BaseNames)
            message.AppendLine($"  {baseName}.gz{(missing.Contains(baseName) ? "   (missing)" : "")}");
        message.Append(
            "They can stay gzipped as published (the .gz files of a ../shared/data/mnist folder work as they are), " +
            "be gunzipped (same names without .gz), or sit inside a .zip or .tar.gz in that directory.");
        return message.ToString();
    }

    /// <summary>Labels first (small), then the images, whose count is checked against them before any pixel is read.</summary>
    private static (IdxImages Images, byte[] Labels) ReadPair(IdxSource imageSource, IdxSource labelSource, int maxImages)
    {
        byte[] labels;
        using (var stream = OpenSource(labelSource))
            labels = IdxReader.ReadLabels(stream, labelSource.Description, maxImages);
        using (var stream = OpenSource(imageSource))
            return (IdxReader.ReadImages(stream, imageSource.Description, maxImages, expectedCount: labels.Length, labelsName: labelSource.Description), labels);
    }

    private static Stream OpenSource(IdxSource source)
    {
        try
        {
            return source.Open();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new MnistDataException($"{source.Description}: cannot be opened: {e.Message}", e);
        }
    }
}
