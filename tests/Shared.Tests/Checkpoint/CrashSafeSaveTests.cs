using static Tensorflow.Binding;
using TfMnist.Checkpoint;
using TfMnist.Framework;
using TfMnist.IO;
using TfMnist.Proto;
using TfMnist.Runtime;
using TfMnist.Saving;

namespace TfMnist.Tests.Checkpoint;

/// <summary>
/// The save dies at every file operation in turn (the seam throws there, then the directory is
/// read as a new process would read it): the state file must always name a complete checkpoint
/// holding the old values or the new ones, and the next save must clean up what the dead one left.
/// </summary>
public class CrashSafeSaveTests
{
    private const string WeightsName = "layer/Variable", BiasesName = "layer/Variable_1";

    /// <summary>A two-variable model whose session's seed decides its values.</summary>
    private sealed class Model : IDisposable
    {
        public Model(int seed)
        {
            var graph = new Graph();
            using var _ = graph.AsDefault();
            using (tf.name_scope("layer"))
            {
                tf.Variable(tf.random_normal([30, 20], stddev: 1f));
                tf.Variable(tf.random_normal([20], stddev: 1f));
            }
            Saver = tf.train.Saver();
            Session = new Session(graph) { Seed = seed };
            Session.Run(tf.global_variables_initializer());
            Values = new Dictionary<string, float[]>
            {
                [WeightsName] = Session.Run(graph.GetTensorByName(WeightsName + ":0"))!.Floats.ToArray(),
                [BiasesName] = Session.Run(graph.GetTensorByName(BiasesName + ":0"))!.Floats.ToArray(),
            };
        }

        public Saver Saver { get; }
        public Session Session { get; }
        public Dictionary<string, float[]> Values { get; }

        public void Save(string prefix, IFileSystem fileSystem, bool makeCurrent = true)
        {
            Saver.FileSystem = fileSystem;
            Saver.Save(Session, prefix, makeCurrent: makeCurrent);
        }

        public void Dispose() => Session.Dispose();
    }

    /// <summary>
    /// What a new process finds in <paramref name="directory"/>: null without a state file, else
    /// the values of the checkpoint it names as current. Every set the state lists must be
    /// complete: index and data that read with valid CRCs, a .meta that parses.
    /// </summary>
    private static Dictionary<string, float[]>? Load(string directory, string context)
    {
        var state = CheckpointState.Read(directory);
        if (state is null) return null;
        Dictionary<string, float[]>? current = null;
        foreach (string path in state.AllModelCheckpointPaths.Append(state.ModelCheckpointPath).Distinct())
        {
            string prefix = CheckpointState.Resolve(directory, path);
            Assert.True(File.Exists(prefix + ".meta"), $"{context}: the state names {path}, which has no .meta");
            MetaGraphDef.Parser.ParseFrom(File.ReadAllBytes(prefix + ".meta"));
            var reader = BundleReader.Open(prefix);
            var values = new Dictionary<string, float[]>
            {
                [WeightsName] = reader.ReadFloats(WeightsName),
                [BiasesName] = reader.ReadFloats(BiasesName),
            };
            if (path == state.ModelCheckpointPath) current = values;
        }
        return current;
    }

    private static bool Same(Dictionary<string, float[]>? a, Dictionary<string, float[]> b) =>
        a is not null && a[WeightsName].SequenceEqual(b[WeightsName]) && a[BiasesName].SequenceEqual(b[BiasesName]);

    private static int CountOperations(Model old, Model next, string name, bool makeCurrent)
    {
        using var dir = new TempDirectory();
        old.Save(dir.File("mnist"), LocalFileSystem.Instance);
        var counting = new FaultInjectingFileSystem();
        next.Save(dir.File(name), counting, makeCurrent);
        return counting.Operations;
    }

    /// <summary>Saves <paramref name="next"/> over <paramref name="old"/>'s checkpoint, dying at operation k; returns what loads.</summary>
    private static (Dictionary<string, float[]>? Loaded, CheckpointState? State, string Context) SaveDyingAt(
        int k, TempDirectory dir, Model? old, Model next, string name, bool makeCurrent)
    {
        old?.Save(dir.File("mnist"), LocalFileSystem.Instance);
        var fs = new FaultInjectingFileSystem(k);
        Assert.Throws<SimulatedCrashException>(() => next.Save(dir.File(name), fs, makeCurrent));
        string context = $"died at operation {k} ({fs.Log[^1]})";
        return (Load(dir.Path, context), CheckpointState.Read(dir.Path), context);
    }

    private static void AssertOnlyFinishedFiles(string directory, params string[] prefixes)
    {
        var expected = prefixes.SelectMany(p => new[] { p + ".index", p + ".data-00000-of-00001", p + ".meta" })
            .Append(CheckpointState.FileName).Order(StringComparer.Ordinal);
        Assert.Equal(expected, Directory.GetFiles(directory).Select(f => Path.GetFileName(f)!).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void ASaveKilledAtAnyFileOperationLeavesTheOldOrTheNewCheckpointAndTheNextSaveCleansUp()
    {
        using var old = new Model(seed: 1);
        using var next = new Model(seed: 2);
        int operations = CountOperations(old, next, "mnist", makeCurrent: true);
        Assert.True(operations > 30, $"{operations} operations");
        int sawOld = 0, sawNew = 0;
        for (int k = 0; k < operations; k++)
        {
            using var dir = new TempDirectory();
            var (loaded, state, context) = SaveDyingAt(k, dir, old, next, "mnist", makeCurrent: true);
            if (Same(loaded, old.Values)) sawOld++;
            else if (Same(loaded, next.Values)) sawNew++;
            else Assert.Fail($"{context}: the current checkpoint ({state?.ModelCheckpointPath}) holds neither the old nor the new values");

            next.Save(dir.File("mnist"), LocalFileSystem.Instance);
            Assert.True(Same(Load(dir.Path, context + ", then saved"), next.Values), context);
            Assert.Equal("mnist", CheckpointState.Read(dir.Path)!.ModelCheckpointPath);
            AssertOnlyFinishedFiles(dir.Path, "mnist");
        }
        // Both outcomes occur: the switch happens inside the save, not before or after it.
        Assert.True(sawOld > 0 && sawNew > 0, $"old {sawOld}, new {sawNew}");

        using var complete = new TempDirectory();
        old.Save(complete.File("mnist"), LocalFileSystem.Instance);
        next.Save(complete.File("mnist"), new FaultInjectingFileSystem());
        Assert.True(Same(Load(complete.Path, "complete save"), next.Values));
        AssertOnlyFinishedFiles(complete.Path, "mnist");
    }

    [Fact]
    public void AFirstSaveKilledAnywhereLeavesNoCheckpointOrTheNewOne()
    {
        using var next = new Model(seed: 2);
        using (var counting = new TempDirectory())
        {
            var fs = new FaultInjectingFileSystem();
            next.Save(counting.File("mnist"), fs);
            for (int k = 0; k < fs.Operations; k++)
            {
                using var dir = new TempDirectory();
                var (loaded, _, context) = SaveDyingAt(k, dir, null, next, "mnist", makeCurrent: true);
                Assert.True(loaded is null || Same(loaded, next.Values), context);
            }
        }
    }

    [Fact]
    public void ASideSaveKilledAnywhereNeverChangesTheCurrentCheckpoint()
    {
        using var old = new Model(seed: 1);
        using var next = new Model(seed: 2);
        int operations = CountOperations(old, next, "mnist-7", makeCurrent: false);
        for (int k = 0; k < operations; k++)
        {
            using var dir = new TempDirectory();
            var (loaded, state, context) = SaveDyingAt(k, dir, old, next, "mnist-7", makeCurrent: false);
            Assert.True(Same(loaded, old.Values), context);
            Assert.Equal("mnist", state!.ModelCheckpointPath);
        }
        using var complete = new TempDirectory();
        old.Save(complete.File("mnist"), LocalFileSystem.Instance);
        next.Save(complete.File("mnist-7"), new FaultInjectingFileSystem(), makeCurrent: false);
        var finished = CheckpointState.Read(complete.Path)!;
        Assert.Equal("mnist", finished.ModelCheckpointPath);
        Assert.Equal(["mnist", "mnist-7"], finished.AllModelCheckpointPaths);
        Assert.True(Same(Load(complete.Path, "side save"), old.Values));
        Assert.Equal(next.Values[BiasesName], BundleReader.Open(complete.File("mnist-7")).ReadFloats(BiasesName));
        AssertOnlyFinishedFiles(complete.Path, "mnist", "mnist-7");
    }

    [Fact]
    public void LeftoversOfTheEarlierPerProcessTemporaryNamesAreRemoved()
    {
        using var old = new Model(seed: 1);
        using var dir = new TempDirectory();
        old.Save(dir.File("mnist"), LocalFileSystem.Instance);
        File.WriteAllText(dir.File(".mnist.index.9286.f602e698c7774d2c931847409e601f41.tmp"), "half");
        File.WriteAllText(dir.File(".checkpoint.12.ab.tmp"), "half");
        File.WriteAllText(dir.File("mnist-staging-0badf00d.index"), "half");
        old.Save(dir.File("mnist"), LocalFileSystem.Instance);
        AssertOnlyFinishedFiles(dir.Path, "mnist");
    }

    [Fact]
    public void OnlyMaxToKeepCheckpointsStayListedAndOnDiskAndTheCurrentOneIsNeverDropped()
    {
        using var model = new Model(seed: 1);
        using var dir = new TempDirectory();
        model.Save(dir.File("mnist"), LocalFileSystem.Instance);
        for (int step = 1; step <= 6; step++)
            model.Save(dir.File($"mnist-{step}"), LocalFileSystem.Instance, makeCurrent: false);
        var state = CheckpointState.Read(dir.Path)!;
        Assert.Equal("mnist", state.ModelCheckpointPath);
        Assert.Equal(["mnist", "mnist-3", "mnist-4", "mnist-5", "mnist-6"], state.AllModelCheckpointPaths);
        AssertOnlyFinishedFiles(dir.Path, "mnist", "mnist-3", "mnist-4", "mnist-5", "mnist-6");
    }
}
