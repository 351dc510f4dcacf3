using System.Collections.Concurrent;
using System.Security.Cryptography;
using TfMnist.Data;
using static TfMnist.Tests.Data.IdxFixtures;
using static TfMnist.Tests.Data.IdxReaderTests;

namespace TfMnist.Tests.Data;

/// <summary>Downloads from a real HTTP server on 127.0.0.1, with checksums injected for small synthetic files.</summary>
public sealed class MnistDownloaderTests : IDisposable
{
    private const string FileName = "train-labels-idx1-ubyte.gz";
    private readonly LocalHttpServer _server = new();
    private readonly TempDir _dir = new();
    private readonly ConcurrentQueue<DownloadProgress> _progress = new();

    public void Dispose()
    {
        _server.Dispose();
        _dir.Dispose();
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static MnistFileSpec SpecOf(string name, byte[] bytes) =>
        new(name, bytes.Length, Convert.ToHexStringLower(MD5.HashData(bytes)));

    private static byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        new Random(length).NextBytes(bytes);
        return bytes;
    }

    private static byte[] Corrupted(byte[] good)
    {
        var bad = (byte[])good.Clone();
        bad[bad.Length / 3] ^= 0x40;
        return bad;
    }

    private MnistDownloader Downloader(params string[] mirrors) => new(new MnistDownloadOptions
    {
        Mirrors = mirrors,
        Progress = new SynchronousProgress(_progress.Enqueue),
        TimeoutPerFile = TimeSpan.FromSeconds(1),
    });

    /// <summary>Serves <paramref name="good"/> in every broken way, one mirror each.</summary>
    private string[] BadMirrors(byte[] good)
    {
        _server.Serve("corrupt", FileName, Corrupted(good));
        _server.Serve("cutoff", FileName, good, ServeMode.CutOff);
        _server.Serve("short", FileName, good[..^1], ServeMode.UntilClose);
        _server.Serve("long", FileName, [.. good, 0], ServeMode.UntilClose);
        _server.Serve("lying", FileName, good[..^7]);
        return [_server.Mirror("missing"), _server.Mirror("corrupt"), _server.Mirror("cutoff"),
                _server.Mirror("short"), _server.Mirror("long"), _server.Mirror("lying")];
    }

    [Fact]
    public void GoodFileLandsAfterEveryBadMirrorIsRejected()
    {
        byte[] good = RandomBytes(3000);
        _server.Serve("good", FileName, good);
        string[] mirrors = [.. BadMirrors(good), _server.Mirror("good")];

        string path = Downloader(mirrors).Download(_dir.Path, SpecOf(FileName, good), Ct);

        Assert.Equal(_dir.File(FileName), path);
        Assert.Equal(good, File.ReadAllBytes(path));
        Assert.Equal([FileName], _dir.Entries()); // no temp file left by the failed attempts
        var failures = _progress.Where(p => p.Status == DownloadStatus.Failed).Select(p => p.Error!).ToList();
        Assert.Equal(6, failures.Count);
        Assert.Contains("HTTP 404", failures[0]);
        Assert.Contains("checksum mismatch", failures[1]);
        Assert.NotEmpty(failures[2]);
        Assert.Contains("truncated: received 2999 of 3000 bytes", failures[3]);
        Assert.Contains("more than the 3000 bytes", failures[4]);
        Assert.Contains("announces 2993 bytes", failures[5]);
        Assert.Equal(DownloadStatus.Completed, _progress.Last().Status);
        Assert.Equal(3000, _progress.Last().BytesReceived);
    }

    [Fact]
    public void WhenEveryMirrorFailsTheErrorListsThemAndNothingIsLeft()
    {
        byte[] good = RandomBytes(2000);
        string[] mirrors = [.. BadMirrors(good), LocalHttpServer.DeadMirror()];

        var e = Assert.Throws<MnistDataException>(() => Downloader(mirrors).Download(_dir.Path, SpecOf(FileName, good), Ct));

        AssertMessage(e, FileName, "could not be downloaded", "checksum mismatch", "truncated", "HTTP 404");
        foreach (string mirror in mirrors) Assert.Contains(mirror + FileName, e.Message);
        Assert.Empty(_dir.Entries());
    }

    [Fact]
    public void FailedDownloadKeepsTheFileThatWasThere()
    {
        byte[] good = RandomBytes(1000);
        File.WriteAllText(_dir.File(FileName), "previous");
        _server.Serve("corrupt", FileName, Corrupted(good));

        Assert.Throws<MnistDataException>(() => Downloader(_server.Mirror("corrupt")).Download(_dir.Path, SpecOf(FileName, good), Ct));

        Assert.Equal("previous", File.ReadAllText(_dir.File(FileName)));
        Assert.Equal([FileName], _dir.Entries());
    }

    [Fact]
    public void StalledMirrorTimesOutAndTheNextOneServes()
    {
        byte[] good = RandomBytes(5000);
        _server.Serve("stall", FileName, good, ServeMode.Stall);
        _server.Serve("good", FileName, good);

        Downloader(_server.Mirror("stall"), _server.Mirror("good")).Download(_dir.Path, SpecOf(FileName, good), Ct);

        Assert.Equal(good, File.ReadAllBytes(_dir.File(FileName)));
        Assert.Contains("no complete answer within 1 s", _progress.Single(p => p.Status == DownloadStatus.Failed).Error);
        Assert.Equal([FileName], _dir.Entries());
    }

    [Fact]
    public void ProgressIsReportedAsBytesArrive()
    {
        byte[] good = RandomBytes(2_500_000);
        _server.Serve("good", FileName, good);

        Downloader(_server.Mirror("good")).Download(_dir.Path, SpecOf(FileName, good), Ct);

        var steps = _progress.ToList();
        Assert.Equal(DownloadStatus.Started, steps[0].Status);
        var received = steps.Where(p => p.Status == DownloadStatus.Receiving).Select(p => p.BytesReceived).ToList();
        Assert.True(received.Count >= 3, $"only {received.Count} progress reports");
        Assert.Equal(received.Order(), received);
        Assert.Equal(2_500_000, received[^1]);
        Assert.All(steps, p => Assert.Equal(2_500_000, p.TotalBytes));
        Assert.Contains("%", steps[1].ToString());
    }

    [Fact]
    public void ReadDataSetsDownloadsMissingFilesAndLoadsThem()
    {
        var files = MiniMnist(20, 6);
        foreach (var (name, bytes) in files)
        {
            _server.Serve("bad", name, Corrupted(bytes));
            _server.Serve("good", name, bytes);
        }
        var options = new MnistDownloadOptions
        {
            Mirrors = [_server.Mirror("bad"), _server.Mirror("good")],
            Files = files.Select(kv => SpecOf(kv.Key, kv.Value)).ToList(),
        };
        string dataDir = Path.Combine(_dir.Path, "MNIST_data"); // created on demand, like TF

        var data = MnistDataSets.ReadDataSets(dataDir, validationSize: 4, download: options, cancellation: Ct);

        Assert.Equal((16, 4, 6), (data.Train.NumExamples, data.Validation.NumExamples, data.Test.NumExamples));
        Assert.Equal(files.Keys.Order(), Directory.GetFiles(dataDir).Select(Path.GetFileName).Order());
        int requestsBefore = _server.RequestedPaths.Count;
        MnistDataSets.ReadDataSets(dataDir, validationSize: 4, download: options, cancellation: Ct);
        Assert.Equal(requestsBefore, _server.RequestedPaths.Count); // present files are not fetched again
    }

    [Fact]
    public void ReadDataSetsWithoutNetworkSaysWhichFilesToPutWhere()
    {
        var options = new MnistDownloadOptions { Mirrors = [LocalHttpServer.DeadMirror()] };

        var e = Assert.Throws<MnistDataException>(() => MnistDataSets.ReadDataSets(_dir.Path, download: options, cancellation: Ct));

        AssertMessage(e, _dir.Path, "could not be downloaded", "shared/data/mnist", "Put these four files",
            "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz");
        Assert.Empty(_dir.Entries());
    }

    [Fact]
    public void RealFilesPassTheBuiltInChecksums()
    {
        string mnist = RepoData.MnistDirOrSkip();
        foreach (var spec in MnistFiles.OriginalGzFiles)
            _server.Serve("mirror", spec.FileName, File.ReadAllBytes(Path.Combine(mnist, spec.FileName)));
        var downloader = new MnistDownloader(new MnistDownloadOptions { Mirrors = [_server.Mirror("mirror")] });

        foreach (var spec in MnistFiles.OriginalGzFiles) downloader.Download(_dir.Path, spec, Ct);

        Assert.Equal(MnistFiles.OriginalGzFiles.Select(s => s.FileName).Order(), _dir.Entries().Order());
    }

    /// <summary>Progress&lt;T&gt; posts to the thread pool; tests need the reports in order, now.</summary>
    private sealed class SynchronousProgress(Action<DownloadProgress> report) : IProgress<DownloadProgress>
    {
        public void Report(DownloadProgress value) => report(value);
    }
}
