using SharpCompress.Readers;

namespace TfMnist.Data;

/// <summary>Where one IDX file was found: a loose file in the data directory or an archive entry.</summary>
public abstract class IdxSource
{
    /// <summary>A name for messages: the file path, or "archive!entry".</summary>
    public abstract string Description { get; }

    /// <summary>Opens the (possibly gzipped) IDX bytes as a seekable stream.</summary>
    public abstract Stream Open();

    public override string ToString() => Description;
}

/// <summary>An IDX file lying in the data directory, gzipped or not.</summary>
public sealed class LooseIdxFile(string path) : IdxSource
{
    public string Path { get; } = path;

    public override string Description => Path;

    public override Stream Open() =>
        new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
}

/// <summary>
/// An IDX file inside a .zip / .tar / .tar.gz in the data directory, read with SharpCompress's
/// forward-only reader so the archive never has to be unpacked to disk.
/// </summary>
public sealed class ArchivedIdxFile(string archivePath, string entryKey) : IdxSource
{
    public string ArchivePath { get; } = archivePath;

    public string EntryKey { get; } = entryKey;

    public override string Description => $"{ArchivePath}!{EntryKey}";

    public override Stream Open()
    {
        MemoryStream? found = null;
        ScanArchive(ArchivePath, (key, reader) =>
        {
            if (key != EntryKey) return true;
            found = new MemoryStream();
            using (var entry = reader.OpenEntryStream()) entry.CopyTo(found);
            found.Position = 0;
            return false;
        });
        return found ?? throw new MnistDataException($"{Description}: the entry disappeared from the archive.");
    }

    /// <summary>
    /// Calls <paramref name="visit"/> with each file entry until it returns false. Any failure of
    /// the archive itself becomes a <see cref="MnistDataException"/> naming the archive.
    /// </summary>
    internal static void ScanArchive(string archivePath, Func<string, IReader, bool> visit)
    {
        try
        {
            using var file = new FileStream(archivePath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            using var reader = ReaderFactory.OpenReader(file, new ReaderOptions());
            while (reader.MoveToNextEntry())
            {
                if (reader.Entry.IsDirectory || string.IsNullOrEmpty(reader.Entry.Key)) continue;
                if (!visit(reader.Entry.Key, reader)) return;
            }
        }
        catch (Exception e) when (e is not MnistDataException and not OutOfMemoryException)
        {
            throw new MnistDataException($"{archivePath}: cannot be read as an archive: {e.Message}", e);
        }
    }
}
