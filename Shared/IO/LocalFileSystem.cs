using System.Runtime.InteropServices;

namespace TfMnist.IO;

/// <summary>The real file system, with fsync for files and (on Unix) for directories.</summary>
public sealed partial class LocalFileSystem : IFileSystem
{
    public static readonly LocalFileSystem Instance = new();

    private LocalFileSystem() { }

    public IWritableFile Create(string path) =>
        new LocalWritableFile(new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16));

    public void Rename(string source, string destination) => File.Move(source, destination, overwrite: true);

    public void Delete(string path) => File.Delete(path);

    public bool Exists(string path) => File.Exists(path);

    public byte[] ReadAllBytes(string path) => File.ReadAllBytes(path);

    public IReadOnlyList<string> ListFiles(string directory) =>
        Directory.Exists(directory)
            ? Directory.GetFiles(directory).Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal).ToList()
            : [];

    /// <summary>
    /// A rename is only durable once its directory is synced. .NET has no API for that, so on Unix
    /// this opens the directory read-only and fsyncs it; Windows has no equivalent (NTFS journals
    /// its metadata), so there it does nothing.
    /// </summary>
    public void SyncDirectory(string directory)
    {
        if (OperatingSystem.IsWindows()) return;
        int fd = Open(directory, 0 /* O_RDONLY */);
        if (fd < 0) throw new IOException($"Cannot open the directory '{directory}' to sync it (errno {Marshal.GetLastPInvokeError()}).");
        try
        {
            if (FSync(fd) != 0)
                throw new IOException($"fsync of the directory '{directory}' failed (errno {Marshal.GetLastPInvokeError()}).");
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int FSync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);

    private sealed class LocalWritableFile(FileStream stream) : IWritableFile
    {
        public void Write(ReadOnlySpan<byte> bytes) => stream.Write(bytes);

        public void Sync() => stream.Flush(flushToDisk: true);

        public void Dispose() => stream.Dispose();
    }
}
