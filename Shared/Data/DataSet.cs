using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace TfMnist.Data;

/// <summary>
/// One split of MNIST (train, validation or test), as TF 1.x's
/// tensorflow.contrib.learn.python.learn.datasets.mnist.DataSet with dtype=float32, reshape=True:
/// images flattened to 784 floats in [0, 1], labels dense or one-hot, and next_batch walking a
/// permutation that is reshuffled every epoch.
/// </summary>
/// <remarks>
/// TF permutes its image array in place on every shuffle, so its <c>images</c> property changes
/// order once next_batch has been called. Here batches go through an index permutation and
/// <see cref="Images"/> stays in file order; the batches themselves are drawn the same way.
/// </remarks>
public sealed class DataSet
{
    public const int ImageSize = IdxReader.ImageSide * IdxReader.ImageSide;
    public const int NumClasses = IdxReader.NumClasses;

    // TF computes numpy.multiply(images.astype(float32), 1.0 / 255.0): a float32 multiply by the
    // float32 nearest 1/255, which for some bytes differs in the last bit from byte / 255f.
    private const float PixelScale = (float)(1.0 / 255.0);

    private readonly int[] _order;
    private readonly Random _random;
    private int _indexInEpoch;

    /// <param name="pixels">N x 784 bytes, row-major, as stored in the IDX file.</param>
    /// <param name="labels">N digit labels 0-9.</param>
    /// <param name="oneHot">Whether <see cref="NextBatch(int, bool)"/> yields one-hot labels (width 10) or digits (width 1).</param>
    /// <param name="seed">Seeds the shuffling for reproducible batches; null draws a random seed.</param>
    public DataSet(ReadOnlySpan<byte> pixels, ReadOnlySpan<byte> labels, bool oneHot = true, int? seed = null)
        : this(new ReadOnlyMemory<byte>(pixels.ToArray()), labels, oneHot, seed)
    {
    }

    /// <summary>As the public constructor, but keeps <paramref name="pixels"/> without copying it: the loader
    /// hands over slices of the decompressed file, so the training set's 47 MB are not held twice at start-up
    /// (that copy alone set the trainer's peak RSS).</summary>
    internal DataSet(ReadOnlyMemory<byte> pixels, ReadOnlySpan<byte> labels, bool oneHot, int? seed)
    {
        if (pixels.Length != labels.Length * ImageSize)
            throw new ArgumentException(
                $"images and labels disagree: {pixels.Length} pixel bytes is not {labels.Length} images of {ImageSize}.");

        NumExamples = labels.Length;
        OneHot = oneHot;
        // The bytes are kept (43 MB for the training set, not 172 MB of floats): batches are
        // scaled as they are copied out, and the float matrix is built only if someone asks.
        _pixels = pixels;

        Labels = new int[NumExamples];
        LabelsOneHot = new float[NumExamples * NumClasses];
        for (int i = 0; i < NumExamples; i++)
        {
            int label = labels[i];
            if (label >= NumClasses)
                throw new ArgumentException($"label {label} at index {i} is not a digit 0-9.", nameof(labels));
            Labels[i] = label;
            LabelsOneHot[i * NumClasses + label] = 1f;
        }

        _order = new int[NumExamples];
        for (int i = 0; i < NumExamples; i++) _order[i] = i;
        _random = seed is int s ? new Random(s) : new Random();
    }

    public int NumExamples { get; }

    /// <summary>Whether batches carry one-hot labels (10 floats each) rather than the digit (1 float).</summary>
    public bool OneHot { get; }

    /// <summary>Floats per label in a batch: 10 when <see cref="OneHot"/>, otherwise 1.</summary>
    public int LabelWidth => OneHot ? NumClasses : 1;

    private readonly ReadOnlyMemory<byte> _pixels;
    private float[]? _images;

    /// <summary>NumExamples x 784 pixel intensities in [0, 1], row-major, in file order (built on first use).</summary>
    public float[] Images => LazyInitializer.EnsureInitialized(ref _images, () =>
    {
        // Every element is written by ScalePixels, so zeroing the array first would be wasted.
        var images = GC.AllocateUninitializedArray<float>(_pixels.Length);
        ScalePixels(_pixels.Span, images);
        return images;
    });

    /// <summary>The digit of each example, in file order.</summary>
    public int[] Labels { get; }

    /// <summary>NumExamples x 10, a single 1 per row at the digit's column, in file order.</summary>
    public float[] LabelsOneHot { get; }

    /// <summary>Whole passes over the data completed by <see cref="NextBatch(int, bool)"/>.</summary>
    public int EpochsCompleted { get; private set; }

    public ReadOnlySpan<float> Image(int index) => Images.AsSpan(index * ImageSize, ImageSize);

    /// <summary>The raw bytes of one image (0-255), as in the IDX file.</summary>
    public ReadOnlySpan<byte> Pixels(int index) => _pixels.Span.Slice(index * ImageSize, ImageSize);

    /// <summary>Returns the next <paramref name="batchSize"/> examples as new arrays (batch x 784, batch x <see cref="LabelWidth"/>).</summary>
    public (float[] Images, float[] Labels) NextBatch(int batchSize, bool shuffle = true)
    {
        CheckBatchSize(batchSize);
        var images = new float[batchSize * ImageSize];
        var labels = new float[batchSize * LabelWidth];
        NextBatch(batchSize, images, labels, shuffle);
        return (images, labels);
    }

    /// <summary>
    /// Writes the next <paramref name="batchSize"/> examples into caller-owned buffers without
    /// allocating, following TF's next_batch: shuffle before the first batch, and at an epoch's
    /// end take the examples left in the old epoch followed by the start of a freshly shuffled one.
    /// </summary>
    /// <param name="images">At least batchSize x 784 floats.</param>
    /// <param name="labels">At least batchSize x <see cref="LabelWidth"/> floats; one-hot rows when <see cref="OneHot"/>.</param>
    public void NextBatch(int batchSize, Span<float> images, Span<float> labels, bool shuffle = true)
    {
        CheckBatchSize(batchSize);
        ArgumentOutOfRangeException.ThrowIfLessThan(images.Length, batchSize * ImageSize, nameof(images));
        ArgumentOutOfRangeException.ThrowIfLessThan(labels.Length, batchSize * LabelWidth, nameof(labels));

        int start = _indexInEpoch;
        if (EpochsCompleted == 0 && start == 0 && shuffle)
            _random.Shuffle(_order);

        if (start + batchSize > NumExamples)
        {
            EpochsCompleted++;
            int rest = NumExamples - start;
            // The tail of the old epoch must be copied before the permutation is reshuffled.
            CopyExamples(start, rest, images, labels, 0);
            if (shuffle) _random.Shuffle(_order);
            _indexInEpoch = batchSize - rest;
            CopyExamples(0, _indexInEpoch, images, labels, rest);
        }
        else
        {
            _indexInEpoch += batchSize;
            CopyExamples(start, batchSize, images, labels, 0);
        }
    }

    /// <summary>
    /// dst[i] = src[i] * PixelScale, 32 pixels per step where the CPU allows: widening bytes to
    /// int and converting is exact, and a vector multiply rounds exactly like the scalar one, so
    /// both paths give TF's values bit for bit.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first batch: skip the slow tier-0 code
    private static void ScalePixels(ReadOnlySpan<byte> src, Span<float> dst)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var scale = Vector256.Create(PixelScale);
            for (; i <= src.Length - Vector256<byte>.Count; i += Vector256<byte>.Count)
            {
                var (low, high) = Vector256.Widen(Vector256.Create(src.Slice(i, Vector256<byte>.Count)));
                var (v0, v1) = Vector256.Widen(low);
                var (v2, v3) = Vector256.Widen(high);
                (Vector256.ConvertToSingle(v0.AsInt32()) * scale).CopyTo(dst.Slice(i));
                (Vector256.ConvertToSingle(v1.AsInt32()) * scale).CopyTo(dst.Slice(i + 8));
                (Vector256.ConvertToSingle(v2.AsInt32()) * scale).CopyTo(dst.Slice(i + 16));
                (Vector256.ConvertToSingle(v3.AsInt32()) * scale).CopyTo(dst.Slice(i + 24));
            }
        }
        for (; i < src.Length; i++) dst[i] = src[i] * PixelScale;
    }

    private void CheckBatchSize(int batchSize)
    {
        // TF would return a short batch past these limits; a trainer never wants that.
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(batchSize, NumExamples);
    }

    /// <summary>How many examples ahead <see cref="CopyExamples"/> asks for the pixels it will scale next.</summary>
    private const int PrefetchDistance = 4;

    private unsafe void CopyExamples(int orderStart, int count, Span<float> images, Span<float> labels, int batchRow)
    {
        // A shuffled batch reads 100 scattered 784-byte images from the 43 MB training set: each one a fresh
        // trip to memory that the hardware prefetcher cannot guess. Asking for the example a few ahead keeps
        // several of those trips in flight while the current one is scaled.
        fixed (byte* pixels = _pixels.Span)
        {
            for (int i = 0; i < Math.Min(PrefetchDistance, count); i++)
                Prefetch(pixels, _order[orderStart + i]);
            for (int i = 0; i < count; i++)
            {
                if (i + PrefetchDistance < count) Prefetch(pixels, _order[orderStart + i + PrefetchDistance]);
                int example = _order[orderStart + i];
                int row = batchRow + i;
                ScalePixels(_pixels.Span.Slice(example * ImageSize, ImageSize), images.Slice(row * ImageSize, ImageSize));
                if (OneHot)
                    LabelsOneHot.AsSpan(example * NumClasses, NumClasses).CopyTo(labels.Slice(row * NumClasses, NumClasses));
                else
                    labels[row] = Labels[example];
            }
        }
    }

    /// <summary>Asks for an example's pixel lines in the cache (a hint: no effect on results, none without SSE).</summary>
    private static unsafe void Prefetch(byte* pixels, int example)
    {
        if (!System.Runtime.Intrinsics.X86.Sse.IsSupported) return;
        byte* start = pixels + (nint)example * ImageSize;
        for (nint offset = 0; offset < ImageSize + 63; offset += 64)
            System.Runtime.Intrinsics.X86.Sse.Prefetch0(start + Math.Min(offset, ImageSize - 1));
    }
}
