using System.Text;
using TfMnist.Checkpoint;
using TfMnist.IO;

namespace TfMnist.Tests.Checkpoint;

/// <summary>Thrown where the simulated process dies.</summary>
internal sealed class SimulatedCrashException(int operation) : Exception($"simulated crash at file operation {operation}");

/// <summary>
/// The real file system, except that operation number <see cref="FailAt"/> (0-based, counting
/// every call: create, write, fsync, close, rename, delete, directory fsync, exists, read, list)
/// throws instead — a write first writes half its bytes, as a process killed mid-write would.
/// Also checks fsync ordering: whenever a new "checkpoint" file is renamed into place, every file
/// of every set it names must have been fsynced and its directory entry synced, so the state
/// never points at data a power cut could lose.
/// </summary>
internal sealed class FaultInjectingFileSystem(int failAt = int.MaxValue) : IFileSystem
{
    private readonly HashSet<string> _unsyncedData = new();
    private readonly HashSet<string> _unsyncedEntries = new();

    public int FailAt { get; } = failAt;

    public int Operations { get; private set; }

    public List<string> Log { get; } = new();

    public IWritableFile Create(string path)
    {
        Step($"create {Path.GetFileName(path)}");
        _unsyncedData.Add(path);
        _unsyncedEntries.Add(path);
        return new File(this, path, LocalFileSystem.Instance.Create(path));
    }

    public void Rename(string source, string destination)
    {
        Step($"rename {Path.GetFileName(source)} -> {Path.GetFileName(destination)}");
        if (Path.GetFileName(destination) == CheckpointState.FileName) CheckNamedSetsAreDurable(source, destination);
        LocalFileSystem.Instance.Rename(source, destination);
        if (_unsyncedData.Remove(source)) _unsyncedData.Add(destination);
        _unsyncedEntries.Remove(source);
        _unsyncedEntries.Add(destination);
    }

    public void Delete(string path)
    {
        Step($"delete {Path.GetFileName(path)}");
        LocalFileSystem.Instance.Delete(path);
    }

    public void SyncDirectory(string directory)
    {
        Step("fsync dir");
        LocalFileSystem.Instance.SyncDirectory(directory);
        _unsyncedEntries.RemoveWhere(p => Path.GetDirectoryName(p) == directory);
    }

    public bool Exists(string path)
    {
        Step($"exists {Path.GetFileName(path)}");
        return LocalFileSystem.Instance.Exists(path);
    }

    public byte[] ReadAllBytes(string path)
    {
        Step($"read {Path.GetFileName(path)}");
        return LocalFileSystem.Instance.ReadAllBytes(path);
    }

    public IReadOnlyList<string> ListFiles(string directory)
    {
        Step("list");
        return LocalFileSystem.Instance.ListFiles(directory);
    }

    private void Step(string what)
    {
        int index = Operations++;
        Log.Add(what);
        if (index == FailAt) throw new SimulatedCrashException(index);
    }

    private void CheckNamedSetsAreDurable(string newState, string destination)
    {
        string directory = Path.GetDirectoryName(destination)!;
        var state = CheckpointState.Parse(Encoding.UTF8.GetString(System.IO.File.ReadAllBytes(newState)));
        if (_unsyncedData.Contains(newState))
            throw new InvalidOperationException("the new checkpoint state file was renamed into place before it was fsynced");
        foreach (string prefix in state.AllModelCheckpointPaths.Append(state.ModelCheckpointPath).Distinct())
            foreach (string file in new[] { BundleFiles.IndexPath(prefix), BundleFiles.DataPath(prefix), prefix + ".meta" })
            {
                string path = CheckpointState.Resolve(directory, file);
                if (_unsyncedData.Contains(path) || _unsyncedEntries.Contains(path))
                    throw new InvalidOperationException($"the state file names {file} before it (or its directory entry) was fsynced");
            }
    }

    private sealed class File(FaultInjectingFileSystem fs, string path, IWritableFile inner) : IWritableFile
    {
        public void Write(ReadOnlySpan<byte> bytes)
        {
            try
            {
                fs.Step($"write {Path.GetFileName(path)} ({bytes.Length} bytes)");
            }
            catch (SimulatedCrashException)
            {
                inner.Write(bytes[..(bytes.Length / 2)]);
                inner.Dispose(); // the OS closes a dead process's files; what was written stays
                throw;
            }
            inner.Write(bytes);
            fs._unsyncedData.Add(path);
        }

        public void Sync()
        {
            fs.Step($"fsync {Path.GetFileName(path)}");
            inner.Sync();
            fs._unsyncedData.Remove(path);
        }

        public void Dispose()
        {
            inner.Dispose(); // closing is not counted: a dead process's files are closed too
        }
    }
}
