namespace TfMnist.IO;

/// <summary>
/// Writes a file under a temporary name in the same directory and renames it into place, so a
/// crash mid-write never leaves a truncated file where a good one stood.
/// </summary>
public static class AtomicFile
{
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes)
    {
        using var stream = Begin(path, out string tempPath);
        try
        {
            stream.Write(bytes);
            stream.Flush(flushToDisk: true);
        }
        catch
        {
            stream.Dispose();
            TryDelete(tempPath);
            throw;
        }
        stream.Dispose();
        File.Move(tempPath, path, overwrite: true);
        SyncDirectoryOf(path);
    }

    public static void WriteAllText(string path, string text) =>
        WriteAllBytes(path, System.Text.Encoding.UTF8.GetBytes(text));

    /// <summary>
    /// Streams into a temporary file via <paramref name="write"/>, then renames it to
    /// <paramref name="path"/>. On any exception the temporary file is removed and the
    /// previous file at <paramref name="path"/> is untouched.
    /// </summary>
    public static void Write(string path, Action<FileStream> write)
    {
        var stream = Begin(path, out string tempPath);
        try
        {
            write(stream);
            stream.Flush(flushToDisk: true);
            stream.Dispose();
            File.Move(tempPath, path, overwrite: true);
            SyncDirectoryOf(path);
        }
        catch
        {
            stream.Dispose();
            TryDelete(tempPath);
            throw;
        }
    }

    /// <summary>The rename is durable only once the directory is synced (a crash could otherwise bring back the old file).</summary>
    private static void SyncDirectoryOf(string path) =>
        LocalFileSystem.Instance.SyncDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);

    private static FileStream Begin(string path, out string tempPath)
    {
        string full = Path.GetFullPath(path);
        string dir = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(dir);
        tempPath = Path.Combine(dir, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        return new FileStream(tempPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
