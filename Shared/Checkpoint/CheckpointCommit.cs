using System.Text;
using TfMnist.IO;

namespace TfMnist.Checkpoint;

/// <summary>The bytes of one checkpoint's files; <see cref="Meta"/> is null when no .meta is written.</summary>
public sealed record CheckpointFileSet(byte[] Index, byte[] Data, byte[]? Meta);

/// <summary>
/// Puts a checkpoint into its directory so that at every instant — whenever the process dies —
/// the directory's <c>checkpoint</c> file names only complete sets of .index/.data/.meta (the
/// previous checkpoint or the new one), while the finished files keep their plain names
/// (<c>mnist.*</c>, as nn_predict.py expects). Three renames cannot replace three files at once,
/// so the set is first written in full under a staged name, the state file is switched to it,
/// the plain names are replaced (each through a synced temporary file and a rename), and the
/// state file is switched back:
/// <list type="number">
/// <item>remove leftovers of killed saves (temporary files, staged sets the state does not name);</item>
/// <item>write &lt;name&gt;-staging-&lt;id&gt;.* and fsync each file, then the directory;</item>
/// <item>state := the staged set (temporary file, fsync, rename, directory fsync);</item>
/// <item>each of &lt;name&gt;.* := temporary copy, fsync, rename; directory fsync;</item>
/// <item>state := &lt;name&gt;; delete the staged set and checkpoints beyond max_to_keep.</item>
/// </list>
/// While &lt;name&gt;.* is being replaced the state names the staged set, which stays whole until
/// the state no longer names it. Every step goes through <see cref="IFileSystem"/>, so a test can
/// stop the save at each of them.
/// </summary>
public sealed class CheckpointCommit(IFileSystem fileSystem)
{
    public const string StagingMarker = "-staging-";

    private static readonly string[] Extensions = [".index", ".data-00000-of-00001", ".meta"];

    /// <summary>
    /// Writes <paramref name="files"/> as &lt;directory&gt;/&lt;name&gt;.* and records it in the
    /// state file, returning the new state. With <paramref name="makeCurrent"/> false the state's
    /// <c>model_checkpoint_path</c> keeps naming the previous checkpoint (when there is one) and
    /// the new one is only added to <c>all_model_checkpoint_paths</c>.
    /// </summary>
    public CheckpointState Commit(string directory, string name, CheckpointFileSet files, bool makeCurrent = true, int maxToKeep = 5)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name.Contains(StagingMarker, StringComparison.Ordinal) || name.Contains('/') || name.Contains('\\'))
            throw new ArgumentException($"A checkpoint name must be a plain file name without '{StagingMarker}' (got '{name}').", nameof(name));
        var previous = ReadState(directory);
        RemoveLeftovers(directory, name, previous);

        string staged = $"{name}{StagingMarker}{Guid.NewGuid().ToString("N")[..8]}";
        foreach (var (extension, bytes) in Files(files))
            WriteSynced(Path.Combine(directory, staged + extension), bytes);
        fileSystem.SyncDirectory(directory);

        string? previousModel = previous?.ModelCheckpointPath is { Length: > 0 } m ? m : null;
        var previousAll = previous?.AllModelCheckpointPaths ?? [];
        // An interrupted run's save must not replace the model the state names as current.
        bool keepPrevious = !makeCurrent && previousModel is not null && previousModel != name
            && fileSystem.Exists(BundleFiles.IndexPath(CheckpointState.Resolve(directory, previousModel)));
        var others = previousAll.Where(p => p != name).ToList();
        WriteState(directory, new CheckpointState(keepPrevious ? previousModel! : staged, [.. others, staged]));

        foreach (var (extension, bytes) in Files(files))
        {
            string temporary = Path.Combine(directory, $".{name}{extension}.tmp");
            WriteSynced(temporary, bytes);
            fileSystem.Rename(temporary, Path.Combine(directory, name + extension));
        }
        fileSystem.SyncDirectory(directory);

        string model = keepPrevious ? previousModel! : name;
        // Staged sets of earlier killed saves leave the list now (and the directory below).
        var kept = others.Where(p => !p.Contains(StagingMarker, StringComparison.Ordinal) || p == model).Append(name).ToList();
        var dropped = new List<string>();
        while (maxToKeep > 0 && kept.Count > maxToKeep && kept.FindIndex(p => p != model) is var oldest and >= 0)
        {
            dropped.Add(kept[oldest]);
            kept.RemoveAt(oldest);
        }
        var state = new CheckpointState(model, kept);
        WriteState(directory, state);

        foreach (string prefix in dropped.Append(staged))
            foreach (string extension in Extensions)
                DeleteIfExists(CheckpointState.Resolve(directory, prefix) + extension);
        RemoveLeftovers(directory, name, state);
        fileSystem.SyncDirectory(directory);
        return state;
    }

    /// <summary>The state file read through the seam, or null when there is none.</summary>
    public CheckpointState? ReadState(string directory)
    {
        string path = Path.Combine(directory, CheckpointState.FileName);
        if (!fileSystem.Exists(path)) return null;
        return CheckpointState.Parse(Encoding.UTF8.GetString(fileSystem.ReadAllBytes(path)), path);
    }

    private static IEnumerable<(string Extension, byte[] Bytes)> Files(CheckpointFileSet files)
    {
        yield return (Extensions[0], files.Index);
        yield return (Extensions[1], files.Data);
        if (files.Meta is not null) yield return (Extensions[2], files.Meta);
    }

    private void WriteSynced(string path, byte[] bytes)
    {
        using var file = fileSystem.Create(path);
        file.Write(bytes);
        file.Sync();
    }

    private void WriteState(string directory, CheckpointState state)
    {
        string temporary = Path.Combine(directory, $".{CheckpointState.FileName}.tmp");
        WriteSynced(temporary, Encoding.UTF8.GetBytes(state.Format()));
        fileSystem.Rename(temporary, Path.Combine(directory, CheckpointState.FileName));
        fileSystem.SyncDirectory(directory);
    }

    /// <summary>
    /// Deletes what killed saves of this checkpoint family left: hidden temporary files
    /// (<c>.mnist*.tmp</c>, <c>.checkpoint*.tmp</c>, including the older per-process names) and
    /// staged sets that <paramref name="state"/> does not name. A staged set the state names is
    /// complete (it is named only once whole) and stays until a later state no longer names it.
    /// </summary>
    private void RemoveLeftovers(string directory, string name, CheckpointState? state)
    {
        string family = Family(name);
        var named = new HashSet<string>(state?.AllModelCheckpointPaths ?? []);
        if (state?.ModelCheckpointPath is { Length: > 0 } model) named.Add(model);
        foreach (string file in fileSystem.ListFiles(directory))
        {
            bool temporary = file.EndsWith(".tmp", StringComparison.Ordinal)
                && (file.StartsWith("." + family, StringComparison.Ordinal) || file.StartsWith("." + CheckpointState.FileName, StringComparison.Ordinal));
            bool stagedLeftover = file.StartsWith(family, StringComparison.Ordinal)
                && file.Contains(StagingMarker, StringComparison.Ordinal)
                && PrefixOf(file) is { } prefix && !named.Contains(prefix);
            if (temporary || stagedLeftover)
                fileSystem.Delete(Path.Combine(directory, file));
        }
    }

    private void DeleteIfExists(string path)
    {
        if (fileSystem.Exists(path)) fileSystem.Delete(path);
    }

    /// <summary>"mnist" for "mnist" and "mnist-300": the name without a trailing -&lt;step&gt;.</summary>
    private static string Family(string name)
    {
        int dash = name.LastIndexOf('-');
        return dash > 0 && name[(dash + 1)..] is { Length: > 0 } tail && tail.All(char.IsAsciiDigit) ? name[..dash] : name;
    }

    private static string? PrefixOf(string file)
    {
        foreach (string extension in Extensions)
            if (file.EndsWith(extension, StringComparison.Ordinal)) return file[..^extension.Length];
        return null;
    }
}
