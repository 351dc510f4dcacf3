#pragma warning disable IDE1006 // TensorFlow.NET's spellings.
using TfMnist.Data;

namespace Tensorflow;

/// <summary>What to load: TensorFlow.NET's ModelLoadSetting.</summary>
public sealed class ModelLoadSetting
{
    public string TrainDir { get; set; } = ".resources/mnist";
    public bool OneHot { get; set; }
    public int? TrainSize { get; set; }
    public int ValidationSize { get; set; } = 5000;
    public int? TestSize { get; set; }
    public bool ShowProgressInConsole { get; set; }
}

/// <summary>
/// TensorFlow.NET's MNIST loader over the engine's reader: the four IDX files (gzipped or not) from
/// a local folder, checked as they are read; missing files are downloaded from TF's mirrors.
/// </summary>
public sealed class MnistModelLoader
{
    public static Task<Datasets<MnistDataSet>> LoadAsync(string trainDir, bool oneHot = false, int? trainSize = null,
        int? validationSize = null, int? testSize = null, bool showProgressInConsole = false) =>
        new MnistModelLoader().LoadAsync(new ModelLoadSetting
        {
            TrainDir = trainDir, OneHot = oneHot, TrainSize = trainSize, ValidationSize = validationSize ?? 5000,
            TestSize = testSize, ShowProgressInConsole = showProgressInConsole,
        });

    public Task<Datasets<MnistDataSet>> LoadAsync(ModelLoadSetting setting) => Task.Run(() => Load(setting));

    private static Datasets<MnistDataSet> Load(ModelLoadSetting setting)
    {
        var download = new MnistDownloadOptions
        {
            Progress = setting.ShowProgressInConsole ? new Progress<DownloadProgress>(p => Console.WriteLine(p)) : null,
        };
        var sets = MnistDataSets.ReadDataSets(setting.TrainDir, setting.OneHot, setting.ValidationSize, download: download);
        return new(new MnistDataSet(Take(sets.Train, setting.TrainSize, setting.OneHot)),
                   new MnistDataSet(sets.Validation),
                   new MnistDataSet(Take(sets.Test, setting.TestSize, setting.OneHot)));
    }

    /// <summary>The first <paramref name="count"/> examples of <paramref name="set"/> (all when null).</summary>
    private static DataSet Take(DataSet set, int? count, bool oneHot)
    {
        if (count is not int n || n >= set.NumExamples) return set;
        if (n < 0) throw new ValueError($"A split size must not be negative (got {n}).");
        var pixels = new byte[n * DataSet.ImageSize];
        for (int i = 0; i < n; i++) set.Pixels(i).CopyTo(pixels.AsSpan(i * DataSet.ImageSize));
        return new DataSet(pixels, set.Labels.Take(n).Select(l => (byte)l).ToArray(), oneHot);
    }
}

/// <summary>
/// `new MnistModelLoader().LoadAsync(dir, oneHot: true)`: the newest TensorFlow.NET calls the loader
/// on an instance, earlier versions statically; C# cannot declare both with one signature, so the
/// instance form is this extension over the static one.
/// </summary>
public static class MnistModelLoaderExtensions
{
    public static Task<Datasets<MnistDataSet>> LoadAsync(this MnistModelLoader loader, string trainDir, bool oneHot = false,
        int? trainSize = null, int? validationSize = null, int? testSize = null, bool showProgressInConsole = false) =>
        MnistModelLoader.LoadAsync(trainDir, oneHot, trainSize, validationSize, testSize, showProgressInConsole);
}
