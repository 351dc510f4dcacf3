namespace TfMnist.IO;

/// <summary>
/// The file operations a crash-safe save is made of, as a seam: the real file system in
/// production, and in tests one that fails at the k-th operation to show that a process dying
/// at any point of the save leaves a directory that still loads.
/// </summary>
public interface IFileSystem
{
    /// <summary>Creates (or truncates) <paramref name="path"/> for writing.</summary>
    IWritableFile Create(string path);

    /// <summary>Replaces <paramref name="destination"/> by <paramref name="source"/> in one atomic step (rename(2)).</summary>
    void Rename(string source, string destination);

    /// <summary>Removes a file; a missing file is not an error.</summary>
    void Delete(string path);

    /// <summary>Makes the directory's entries (creations, renames, deletions) durable (fsync of the directory).</summary>
    void SyncDirectory(string directory);

    bool Exists(string path);

    byte[] ReadAllBytes(string path);

    /// <summary>The names (not paths) of the files in <paramref name="directory"/>, sorted.</summary>
    IReadOnlyList<string> ListFiles(string directory);
}

/// <summary>A file being written: each call is one operation of the seam.</summary>
public interface IWritableFile : IDisposable
{
    void Write(ReadOnlySpan<byte> bytes);

    /// <summary>Flushes the file's contents to the disk (fsync).</summary>
    void Sync();
}
