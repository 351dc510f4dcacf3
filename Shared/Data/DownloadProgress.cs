namespace TfMnist.Data;

public enum DownloadStatus
{
    /// <summary>A request to one mirror is about to be sent.</summary>
    Started,

    /// <summary>Bytes are arriving; reported about every mebibyte and at the end.</summary>
    Receiving,

    /// <summary>The file matched its size and MD5 and is now in the data directory.</summary>
    Completed,

    /// <summary>This mirror failed (see <see cref="DownloadProgress.Error"/>); the next one will be tried.</summary>
    Failed,
}

/// <summary>One step of downloading one MNIST file from one mirror, for apps to print.</summary>
public readonly record struct DownloadProgress(
    string FileName, string Url, DownloadStatus Status, long BytesReceived, long? TotalBytes, string? Error = null)
{
    public override string ToString() => Status switch
    {
        DownloadStatus.Started => $"Downloading {FileName} from {Url}",
        DownloadStatus.Receiving when TotalBytes > 0 =>
            $"  {FileName}: {BytesReceived / 1024} / {TotalBytes / 1024} KiB ({100 * BytesReceived / TotalBytes}%)",
        DownloadStatus.Receiving => $"  {FileName}: {BytesReceived / 1024} KiB",
        DownloadStatus.Completed => $"Successfully downloaded {FileName} {BytesReceived} bytes.",
        _ => $"  {Url} failed: {Error}",
    };
}
