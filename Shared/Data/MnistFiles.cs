namespace TfMnist.Data;

/// <summary>One downloadable MNIST file: its name as published and the size and MD5 it must have.</summary>
public sealed record MnistFileSpec(string FileName, long Size, string Md5);

/// <summary>The four files of the MNIST distribution, by the names Yann LeCun published them under.</summary>
public static class MnistFiles
{
    // Base names without ".gz": the same names are used for gunzipped copies and archive entries.
    public const string TrainImages = "train-images-idx3-ubyte";
    public const string TrainLabels = "train-labels-idx1-ubyte";
    public const string TestImages = "t10k-images-idx3-ubyte";
    public const string TestLabels = "t10k-labels-idx1-ubyte";

    public static IReadOnlyList<string> BaseNames { get; } = [TrainImages, TrainLabels, TestImages, TestLabels];

    /// <summary>
    /// Sizes and MD5 sums of the original gzipped files, identical on every mirror; a download is
    /// only kept if it matches these exactly.
    /// </summary>
    public static IReadOnlyList<MnistFileSpec> OriginalGzFiles { get; } =
    [
        new(TrainImages + ".gz", 9912422, "f68b3c2dcbeaaa9fbdd348bbdeb94873"),
        new(TrainLabels + ".gz", 28881, "d53e105ee54ea40749a09fcbcd1e9432"),
        new(TestImages + ".gz", 1648877, "9fb629c4189551a2d022fa330f9573f3"),
        new(TestLabels + ".gz", 4542, "ec29112dd5afa0611ce80d1b7f02629c"),
    ];
}
