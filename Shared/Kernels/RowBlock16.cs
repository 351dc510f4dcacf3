using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;
using System.Runtime.Intrinsics;

namespace TfMnist.Kernels;

/// <summary>
/// A block of 16 consecutive rows of up to 16 floats each, row-major, seen transposed: column
/// vector j holds element j of row r in lane r. Kernels over short rows (10 classes) use it to work
/// on 16 rows per instruction instead of one short row at a time. AVX-512 only.
/// </summary>
/// <remarks>
/// Rows are read and written with masked loads and stores of their own <c>width</c> elements, so
/// nothing outside the block is touched (the last block of an array ends exactly at the array's
/// end). .NET has no AVX-512 gather, and AVX2 gathers measured 0.5 ns per element here, about four
/// times the cost of these masked loads and the 64 in-register shuffles of a 16 x 16 transpose.
/// </remarks>
internal static unsafe class RowBlock16
{
    public const int Rows = 16;

    /// <summary>Lanes [0, width) set: the mask for a row of <paramref name="width"/> elements.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> RowMask(int width) =>
        Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(width)).AsSingle();

    /// <summary>
    /// Reads rows r = 0..15 of <paramref name="width"/> (1..16) elements at p + r * width into
    /// columns[0..16); columns at or past width are zero.
    /// </summary>
    public static void LoadColumns(float* p, int width, Vector512<float> rowMask, Vector512<float>* columns) =>
        Transpose(new MaskedRows(p, width, rowMask), new Vectors(columns));

    /// <summary>The inverse of <see cref="LoadColumns"/>: writes the first width elements of rows 0..15 at p + r * width.</summary>
    public static void StoreColumns(Vector512<float>* columns, int width, Vector512<float> rowMask, float* p) =>
        Transpose(new Vectors(columns), new MaskedRows(p, width, rowMask));

    /// <summary>Where <see cref="Transpose"/> reads its 16 input vectors and writes its 16 outputs (a struct, so calls inline).</summary>
    private interface IVectors
    {
        Vector512<float> this[int i] { get; set; }
    }

    /// <summary>Vectors in memory, one after another.</summary>
    private readonly struct Vectors(Vector512<float>* p) : IVectors
    {
        public Vector512<float> this[int i]
        {
            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            get => p[i];
            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            set => p[i] = value;
        }
    }

    /// <summary>Rows of width elements, read and written through the row mask (the other lanes read as zero).</summary>
    private readonly struct MaskedRows(float* p, int width, Vector512<float> rowMask) : IVectors
    {
        public Vector512<float> this[int i]
        {
            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            get => Avx512F.MaskLoad(p + i * width, rowMask, Vector512<float>.Zero);
            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            set => Avx512F.MaskStore(p + i * width, rowMask, value);
        }
    }

    /// <summary>
    /// The 16 x 16 transpose of rows[0..16) into output[0..16), in four rounds of 16 shuffles: pairs
    /// of rows interleaved, then pairs of pairs, then 128-bit quarters gathered twice.
    /// </summary>
    private static void Transpose<TInput, TOutput>(TInput rows, TOutput output)
        where TInput : struct, IVectors where TOutput : struct, IVectors
    {
        var (r0, r1, r2, r3, r4, r5, r6, r7) = (rows[0], rows[1], rows[2], rows[3], rows[4], rows[5], rows[6], rows[7]);
        var (r8, r9, r10, r11, r12, r13, r14, r15) = (rows[8], rows[9], rows[10], rows[11], rows[12], rows[13], rows[14], rows[15]);
        // In each 128-bit quarter q: t0 = r0[4q], r1[4q], r0[4q+1], r1[4q+1]; t1 the same for 4q+2, 4q+3.
        var t0 = Avx512F.UnpackLow(r0, r1); var t1 = Avx512F.UnpackHigh(r0, r1);
        var t2 = Avx512F.UnpackLow(r2, r3); var t3 = Avx512F.UnpackHigh(r2, r3);
        var t4 = Avx512F.UnpackLow(r4, r5); var t5 = Avx512F.UnpackHigh(r4, r5);
        var t6 = Avx512F.UnpackLow(r6, r7); var t7 = Avx512F.UnpackHigh(r6, r7);
        var t8 = Avx512F.UnpackLow(r8, r9); var t9 = Avx512F.UnpackHigh(r8, r9);
        var t10 = Avx512F.UnpackLow(r10, r11); var t11 = Avx512F.UnpackHigh(r10, r11);
        var t12 = Avx512F.UnpackLow(r12, r13); var t13 = Avx512F.UnpackHigh(r12, r13);
        var t14 = Avx512F.UnpackLow(r14, r15); var t15 = Avx512F.UnpackHigh(r14, r15);
        // u(4g + c), quarter q: rows 4g..4g+3 of column 4q + c.
        var u0 = Avx512F.Shuffle(t0, t2, 0x44); var u1 = Avx512F.Shuffle(t0, t2, 0xEE);
        var u2 = Avx512F.Shuffle(t1, t3, 0x44); var u3 = Avx512F.Shuffle(t1, t3, 0xEE);
        var u4 = Avx512F.Shuffle(t4, t6, 0x44); var u5 = Avx512F.Shuffle(t4, t6, 0xEE);
        var u6 = Avx512F.Shuffle(t5, t7, 0x44); var u7 = Avx512F.Shuffle(t5, t7, 0xEE);
        var u8 = Avx512F.Shuffle(t8, t10, 0x44); var u9 = Avx512F.Shuffle(t8, t10, 0xEE);
        var u10 = Avx512F.Shuffle(t9, t11, 0x44); var u11 = Avx512F.Shuffle(t9, t11, 0xEE);
        var u12 = Avx512F.Shuffle(t12, t14, 0x44); var u13 = Avx512F.Shuffle(t12, t14, 0xEE);
        var u14 = Avx512F.Shuffle(t13, t15, 0x44); var u15 = Avx512F.Shuffle(t13, t15, 0xEE);
        // 0x88 takes quarters 0 and 2 of each source, 0xDD quarters 1 and 3.
        // v(c) = rows 0-3 and 4-7 of columns c and c + 8; v(c + 4) of columns c + 4 and c + 12; v8.. rows 8-15.
        var v0 = Avx512F.Shuffle4x128(u0, u4, 0x88); var v4 = Avx512F.Shuffle4x128(u0, u4, 0xDD);
        var v1 = Avx512F.Shuffle4x128(u1, u5, 0x88); var v5 = Avx512F.Shuffle4x128(u1, u5, 0xDD);
        var v2 = Avx512F.Shuffle4x128(u2, u6, 0x88); var v6 = Avx512F.Shuffle4x128(u2, u6, 0xDD);
        var v3 = Avx512F.Shuffle4x128(u3, u7, 0x88); var v7 = Avx512F.Shuffle4x128(u3, u7, 0xDD);
        var v8 = Avx512F.Shuffle4x128(u8, u12, 0x88); var v12 = Avx512F.Shuffle4x128(u8, u12, 0xDD);
        var v9 = Avx512F.Shuffle4x128(u9, u13, 0x88); var v13 = Avx512F.Shuffle4x128(u9, u13, 0xDD);
        var v10 = Avx512F.Shuffle4x128(u10, u14, 0x88); var v14 = Avx512F.Shuffle4x128(u10, u14, 0xDD);
        var v11 = Avx512F.Shuffle4x128(u11, u15, 0x88); var v15 = Avx512F.Shuffle4x128(u11, u15, 0xDD);
        output[0] = Avx512F.Shuffle4x128(v0, v8, 0x88); output[8] = Avx512F.Shuffle4x128(v0, v8, 0xDD);
        output[1] = Avx512F.Shuffle4x128(v1, v9, 0x88); output[9] = Avx512F.Shuffle4x128(v1, v9, 0xDD);
        output[2] = Avx512F.Shuffle4x128(v2, v10, 0x88); output[10] = Avx512F.Shuffle4x128(v2, v10, 0xDD);
        output[3] = Avx512F.Shuffle4x128(v3, v11, 0x88); output[11] = Avx512F.Shuffle4x128(v3, v11, 0xDD);
        output[4] = Avx512F.Shuffle4x128(v4, v12, 0x88); output[12] = Avx512F.Shuffle4x128(v4, v12, 0xDD);
        output[5] = Avx512F.Shuffle4x128(v5, v13, 0x88); output[13] = Avx512F.Shuffle4x128(v5, v13, 0xDD);
        output[6] = Avx512F.Shuffle4x128(v6, v14, 0x88); output[14] = Avx512F.Shuffle4x128(v6, v14, 0xDD);
        output[7] = Avx512F.Shuffle4x128(v7, v15, 0x88); output[15] = Avx512F.Shuffle4x128(v7, v15, 0xDD);
    }
}
