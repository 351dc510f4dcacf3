#pragma warning disable IDE1006 // TensorFlow.NET's spellings.
using Tensorflow.NumPy;
using DType = TfMnist.Core.DType;
using TfMnist.Data;
using EngineArray = TfMnist.Core.NDArray;

namespace Tensorflow;

/// <summary>
/// One split of MNIST in TensorFlow.NET's form: <see cref="Data"/> (N x 784 floats in [0, 1]) and
/// <see cref="Labels"/> (N x 10 one-hot floats, or N bytes), over the engine's verified reader.
/// </summary>
public sealed class MnistDataSet
{
    private readonly DataSet _set;

    public MnistDataSet(DataSet set)
    {
        _set = set;
        Data = new EngineArray(DType.Float, [set.NumExamples, DataSet.ImageSize], set.Images);
        Labels = set.OneHot
            ? new EngineArray(DType.Float, [set.NumExamples, DataSet.NumClasses], set.LabelsOneHot)
            : new EngineArray(DType.UInt8, [set.NumExamples], set.Labels.Select(l => (byte)l).ToArray());
    }

    /// <summary>The images, N x 784, pixel / 255 as TensorFlow scales them.</summary>
    public NDArray Data { get; }

    public NDArray Labels { get; }

    public int NumOfExamples => _set.NumExamples;

    public int EpochsCompleted => _set.EpochsCompleted;

    /// <summary>The next batch as TF's next_batch deals it: shuffled each epoch, the tail of one epoch joined to the next.</summary>
    public (NDArray, NDArray) GetNextBatch(int batch_size, bool fake_data = false, bool shuffle = true)
    {
        if (fake_data) throw new NotSupportedByEngineException("GetNextBatch(fake_data: true)");
        var (images, labels) = _set.NextBatch(batch_size, shuffle);
        return (new EngineArray(DType.Float, [batch_size, DataSet.ImageSize], images),
                new EngineArray(DType.Float, [batch_size, _set.LabelWidth], labels));
    }
}

/// <summary>The train, validation and test splits, with TensorFlow.NET's epoch helpers.</summary>
public sealed class Datasets<TDataSet>(TDataSet train, TDataSet validation, TDataSet test) where TDataSet : class
{
    private readonly Random _random = new();

    public TDataSet Train { get; } = train;

    public TDataSet Validation { get; } = validation;

    public TDataSet Test { get; } = test;

    /// <summary>The rows of <paramref name="x"/> and <paramref name="y"/> in one shared random order.</summary>
    public (NDArray, NDArray) Randomize(NDArray x, NDArray y)
    {
        int rows = (int)x.shape[0];
        if (y.shape[0] != rows) throw new ValueError($"Randomize: x has {rows} rows but y has {y.shape[0]}.");
        var order = Enumerable.Range(0, rows).Select(i => (long)i).ToArray();
        _random.Shuffle(order);
        NDArray picks = order;
        return (x[picks], y[picks]);
    }

    /// <summary>Rows [start, end) of <paramref name="x"/> and <paramref name="y"/>, copied.</summary>
    public (NDArray, NDArray) GetNextBatch(NDArray x, NDArray y, int start, int end) => GetNextBatch(x, y, (long)start, end);

    /// <summary>The same, for indices computed from a shape (TensorFlow.NET's shapes are longs).</summary>
    public (NDArray, NDArray) GetNextBatch(NDArray x, NDArray y, long start, long end)
    {
        var rows = new long[Math.Max(0, end - start)];
        for (int i = 0; i < rows.Length; i++) rows[i] = start + i;
        NDArray picks = rows;
        return (x[picks], y[picks]);
    }
}
