using System.Security.Cryptography;
using TfMnist.IO;

namespace TfMnist.Data;

/// <summary>
/// Fetches MNIST files from a list of mirrors, like TF's maybe_download but safer: each file is
/// streamed into a temporary file, checked against its known size and MD5, and only then renamed
/// into the data directory, so an interrupted, truncated or tampered download never leaves a file
/// that a later run would trust. A failing mirror hands over to the next.
/// </summary>
public sealed class MnistDownloader(MnistDownloadOptions options)
{
    private const int ProgressStepBytes = 1 << 20;

    // One client for the process: HttpClient pools connections and is meant to be reused.
    private static readonly HttpClient Client = new(new SocketsHttpHandler
    {
        ConnectTimeout = TimeSpan.FromSeconds(15),
        AutomaticDecompression = System.Net.DecompressionMethods.None,
    })
    {
        Timeout = Timeout.InfiniteTimeSpan, // per-file limits are enforced with MnistDownloadOptions.TimeoutPerFile
    };

    public MnistDownloadOptions Options { get; } = options;

    /// <summary>
    /// Downloads <paramref name="spec"/> into <paramref name="dir"/> from the first mirror that
    /// delivers it intact. Throws <see cref="MnistDataException"/> listing every mirror's failure
    /// when none does; the directory is then left exactly as it was.
    /// </summary>
    /// <returns>The path of the verified file.</returns>
    public string Download(string dir, MnistFileSpec spec, CancellationToken cancellation = default)
    {
        if (Options.Mirrors.Count == 0)
            throw new MnistDataException($"{spec.FileName}: cannot be downloaded: no mirrors are configured.");

        string destination = Path.Combine(dir, spec.FileName);
        var failures = new List<string>();
        foreach (string mirror in Options.Mirrors)
        {
            string url = mirror.EndsWith('/') ? mirror + spec.FileName : mirror + "/" + spec.FileName;
            try
            {
                Report(spec, url, DownloadStatus.Started, 0);
                long received = DownloadVerified(url, spec, destination, cancellation);
                Report(spec, url, DownloadStatus.Completed, received);
                return destination;
            }
            catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception e) when (e is HttpRequestException or IOException or MnistDataException
                                          or UriFormatException or InvalidOperationException)
            {
                string reason = e.Message;
                failures.Add($"{url}: {reason}");
                Report(spec, url, DownloadStatus.Failed, 0, reason);
            }
        }

        throw new MnistDataException(
            $"{spec.FileName}: could not be downloaded from any mirror:{Environment.NewLine}  " +
            string.Join(Environment.NewLine + "  ", failures));
    }

    private long DownloadVerified(string url, MnistFileSpec spec, string destination, CancellationToken cancellation)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        timeout.CancelAfter(Options.TimeoutPerFile);
        try
        {
            return Fetch(url, spec, destination, timeout);
        }
        catch (Exception e) when (timeout.IsCancellationRequested && e is not MnistDataException)
        {
            // Aborting a read surfaces as whatever the socket layer throws; say what really happened.
            cancellation.ThrowIfCancellationRequested();
            throw new MnistDataException($"no complete answer within {Options.TimeoutPerFile.TotalSeconds:0.#} s", e);
        }
    }

    private long Fetch(string url, MnistFileSpec spec, string destination, CancellationTokenSource timeout)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        using var response = Client.Send(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        if (!response.IsSuccessStatusCode)
            throw new MnistDataException($"HTTP {(int)response.StatusCode} {response.ReasonPhrase}");

        long? announced = response.Content.Headers.ContentLength;
        if (announced is long length && length != spec.Size)
            throw new MnistDataException($"the server announces {length} bytes but {spec.FileName} has {spec.Size}");

        // Synchronous reads ignore tokens, so a stalled body is cut off by disposing the response.
        using var abortOnTimeout = timeout.Token.Register(response.Dispose);
        using var body = response.Content.ReadAsStream(timeout.Token);
        long received = 0;
        AtomicFile.Write(destination, file => received = CopyVerified(body, file, url, spec, timeout.Token));
        return received;
    }

    /// <summary>Copies the body while hashing it; throws (discarding the temp file) on any mismatch.</summary>
    private long CopyVerified(Stream body, Stream file, string url, MnistFileSpec spec, CancellationToken timeout)
    {
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        var buffer = new byte[1 << 16];
        long received = 0;
        long nextReport = ProgressStepBytes;
        int read;
        while ((read = body.Read(buffer)) > 0)
        {
            timeout.ThrowIfCancellationRequested();
            received += read;
            if (received > spec.Size)
                throw new MnistDataException($"received more than the {spec.Size} bytes {spec.FileName} has");
            md5.AppendData(buffer, 0, read);
            file.Write(buffer, 0, read);
            if (received >= nextReport)
            {
                Report(spec, url, DownloadStatus.Receiving, received);
                nextReport += ProgressStepBytes;
            }
        }
        Report(spec, url, DownloadStatus.Receiving, received);

        if (received != spec.Size)
            throw new MnistDataException($"truncated: received {received} of {spec.Size} bytes");
        string actual = Convert.ToHexStringLower(md5.GetHashAndReset());
        if (!actual.Equals(spec.Md5, StringComparison.OrdinalIgnoreCase))
            throw new MnistDataException($"checksum mismatch: MD5 is {actual} but {spec.FileName} must have {spec.Md5.ToLowerInvariant()}");
        return received;
    }

    private void Report(MnistFileSpec spec, string url, DownloadStatus status, long received, string? error = null) =>
        Options.Progress?.Report(new DownloadProgress(spec.FileName, url, status, received, spec.Size, error));
}
