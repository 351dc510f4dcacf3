using System.Diagnostics;
using TfMnist.Checkpoint;

namespace TfMnist.EndToEnd.Reliability;

/// <summary>Starts the built Trainer.dll (optionally under strace) and reads model folders as a new process would.</summary>
internal static class TrainerProcess
{
    public static string TrainerDll => Path.Combine(AppContext.BaseDirectory, "Trainer.dll");

    public static ProcessStartInfo StartInfo(IEnumerable<string> args, IEnumerable<string>? prefix = null)
    {
        var all = (prefix ?? []).Concat(["dotnet", TrainerDll]).Concat(args).ToList();
        var start = new ProcessStartInfo(all[0]) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in all.Skip(1)) start.ArgumentList.Add(a);
        return start;
    }

    /// <summary>Runs the Trainer to its end; returns its exit code and outputs.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(IEnumerable<string> args, IEnumerable<string>? prefix = null)
    {
        using var process = Process.Start(StartInfo(args, prefix))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return (process.ExitCode, await stdout, await stderr);
    }

    public static void SendSignal(Process process, string signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", process.Id.ToString()])!;
        kill.WaitForExit();
    }

    /// <summary>
    /// The variables of the checkpoint <paramref name="modelDir"/>'s state file names as current,
    /// read with CRC checks after checking that every set the state lists is complete; throws when
    /// the folder does not load.
    /// </summary>
    public static Dictionary<string, float[]> LoadCurrent(string modelDir)
    {
        var state = CheckpointState.Read(modelDir) ?? throw new InvalidOperationException($"no checkpoint file in {modelDir}");
        Dictionary<string, float[]>? current = null;
        foreach (string path in state.AllModelCheckpointPaths.Append(state.ModelCheckpointPath).Distinct())
        {
            string prefix = CheckpointState.Resolve(modelDir, path);
            if (!File.Exists(prefix + ".meta")) throw new InvalidOperationException($"{path} has no .meta");
            var reader = BundleReader.Open(prefix);
            var values = reader.Entries.Where(e => e.DType == Proto.DataType.DtFloat)
                .ToDictionary(e => e.Name, e => reader.ReadFloats(e.Name));
            if (path == state.ModelCheckpointPath) current = values;
        }
        return current!;
    }

    public static long GlobalStep(string prefix) => BundleReader.Open(prefix).ReadInt64s("global_step")[0];

    public static bool SameValues(Dictionary<string, float[]> a, Dictionary<string, float[]> b) =>
        a.Count == b.Count && a.All(kv => b.TryGetValue(kv.Key, out var other) && kv.Value.SequenceEqual(other));

    public static void CopyDirectory(string source, string destination)
    {
        Directory.CreateDirectory(destination);
        foreach (string file in Directory.GetFiles(source))
            File.Copy(file, Path.Combine(destination, Path.GetFileName(file)));
    }
}

/// <summary>One short seed-1 run (20 steps) trained once for the class: the "existing model" the tests must not lose.</summary>
public sealed class TrainedModelFixture : IAsyncLifetime
{
    public string Root { get; } = Path.Combine(Path.GetTempPath(), $"tfmnist-rel-{Guid.NewGuid():N}");
    public string? DataDir { get; } = RepoPaths.MnistData();
    public string ModelDir => Path.Combine(Root, "base-model");
    public Dictionary<string, float[]> Values { get; private set; } = new();

    public async ValueTask InitializeAsync()
    {
        if (DataDir is null) return;
        var (code, stdout, stderr) = await TrainerProcess.RunAsync(["--data-dir", DataDir, "--steps", "20", "--seed", "1",
            "--log-dir", Path.Combine(Root, "base-log"), "--model-dir", ModelDir]);
        if (code != 0) throw new InvalidOperationException($"the base run failed ({code}): {stdout}{stderr}");
        Values = TrainerProcess.LoadCurrent(ModelDir);
    }

    /// <summary>A fresh copy of the base model (and a log folder) for one test.</summary>
    public (string ModelDir, string LogDir) Copy(string name)
    {
        string model = Path.Combine(Root, name, "model");
        TrainerProcess.CopyDirectory(ModelDir, model);
        return (model, Path.Combine(Root, name, "log"));
    }

    public ValueTask DisposeAsync()
    {
        try { Directory.Delete(Root, true); } catch (IOException) { }
        return ValueTask.CompletedTask;
    }
}
