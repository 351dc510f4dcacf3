namespace TfMnist.Data;

/// <summary>How (and whether) missing MNIST files are fetched. Every part is replaceable for tests.</summary>
public sealed class MnistDownloadOptions
{
    /// <summary>
    /// Base URLs tried in order. yann.lecun.com is last: it has long answered with errors or
    /// captchas, which is why TF and torchvision moved to these mirrors.
    /// </summary>
    public static IReadOnlyList<string> DefaultMirrors { get; } =
    [
        "https://storage.googleapis.com/cvdf-datasets/mnist/",
        "https://ossci-datasets.s3.amazonaws.com/mnist/",
        "http://yann.lecun.com/exdb/mnist/",
    ];

    /// <summary>When false, missing files are reported straight away instead of downloaded.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>Base URLs to try in order; the file name is appended to each.</summary>
    public IReadOnlyList<string> Mirrors { get; init; } = DefaultMirrors;

    /// <summary>The files that may be downloaded, with the size and MD5 each must have.</summary>
    public IReadOnlyList<MnistFileSpec> Files { get; init; } = MnistFiles.OriginalGzFiles;

    /// <summary>Receives every step of every attempt; null for silence.</summary>
    public IProgress<DownloadProgress>? Progress { get; init; }

    /// <summary>Limit for one file from one mirror, so a stalled mirror gives way to the next.</summary>
    public TimeSpan TimeoutPerFile { get; init; } = TimeSpan.FromMinutes(5);
}
