using TfMnist.Kernels;
using TfMnist.Ops;

namespace TfMnist.Tests.Kernels;

/// <summary>The broadcast fast paths (same shape, scalar, repeated row on either side) give exactly the naive values.</summary>
public class BinaryKernelTests
{
    /// <summary>Values with the awkward cases mixed in: -0, NaN, infinities, halves.</summary>
    private static float[] Values(int seed, int length)
    {
        var rng = new Random(seed);
        var v = new float[length];
        float[] special = [-0f, 0f, float.NaN, float.PositiveInfinity, float.NegativeInfinity, 0.5f, -2.5f, 1e-40f];
        for (int i = 0; i < length; i++) v[i] = rng.Next(7) == 0 ? special[rng.Next(special.Length)] : (float)(rng.NextDouble() * 8 - 4);
        return v;
    }

    /// <summary>out[i] = f(a[i broadcast], b[i broadcast]) one element at a time.</summary>
    private static float[] Naive(Func<float, float, float> f, float[] a, int[] aShape, float[] b, int[] bShape, int[] outShape)
    {
        int size = outShape.Aggregate(1, (x, y) => x * y);
        var result = new float[size];
        int rank = outShape.Length;
        for (int o = 0; o < size; o++)
        {
            int rest = o, ia = 0, ib = 0, strideA = 1, strideB = 1;
            for (int d = rank - 1; d >= 0; d--)
            {
                int index = rest % outShape[d];
                rest /= outShape[d];
                int da = d - (rank - aShape.Length), db = d - (rank - bShape.Length);
                if (da >= 0) { if (aShape[da] != 1) ia += index * strideA; strideA *= aShape[da]; }
                if (db >= 0) { if (bShape[db] != 1) ib += index * strideB; strideB *= bShape[db]; }
            }
            result[o] = f(a[ia], b[ib]);
        }
        return result;
    }

    private static void Check<TFn>(Func<float, float, float> f, int[] aShape, int[] bShape, int[] outShape) where TFn : IBinaryFunction<float>
    {
        var a = Values(1, aShape.Aggregate(1, (x, y) => x * y));
        var b = Values(2, bShape.Aggregate(1, (x, y) => x * y));
        var output = new float[outShape.Aggregate(1, (x, y) => x * y)];
        BinaryKernel.Run<float, TFn>(a, aShape, b, bShape, output, outShape);
        var expected = Naive(f, a, aShape, b, bShape, outShape);
        // Bit for bit: NaN payloads and the sign of zero included.
        Assert.Equal(expected.Select(BitConverter.SingleToInt32Bits), output.Select(BitConverter.SingleToInt32Bits));
    }

    public static TheoryData<int, int> RowCases() => new()
    {
        { 7, 1 }, { 5, 3 }, { 9, 7 }, { 13, 8 }, { 100, 10 }, { 11, 16 }, { 30, 100 }, { 3, 255 }, { 3, 256 }, { 3, 257 }, { 2, 1030 },
    };

    [Theory]
    [MemberData(nameof(RowCases))]
    public void ARowOnTheRightMatchesTheNaiveBroadcast(int rows, int n)
    {
        Check<SubFn<float>>((x, y) => x - y, [rows, n], [n], [rows, n]);
        Check<DivFn<float>>((x, y) => x / y, [rows, n], [1, n], [rows, n]);
    }

    [Theory]
    [MemberData(nameof(RowCases))]
    public void ARowOnTheLeftKeepsTheOperandOrder(int rows, int n)
    {
        Check<SubFn<float>>((x, y) => x - y, [n], [rows, n], [rows, n]);
        Check<DivFn<float>>((x, y) => x / y, [1, n], [rows, n], [rows, n]);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(17)]
    [InlineData(1001)]
    public void SameShapeAndScalarsMatchTheNaiveValues(int length)
    {
        Check<AddFn<float>>((x, y) => x + y, [length], [length], [length]);
        Check<MulFn<float>>((x, y) => x * y, [length], [], [length]);
        Check<DivFn<float>>((x, y) => x / y, [], [length], [length]);
        Check<SubFn<float>>((x, y) => x - y, [1], [length], [length]);
    }

    [Fact]
    public void OtherBroadcastsStillWork()
    {
        Check<SubFn<float>>((x, y) => x - y, [4, 1, 3], [5, 1], [4, 5, 3]);
        Check<DivFn<float>>((x, y) => x / y, [6, 1], [1, 9], [6, 9]);
    }
}
