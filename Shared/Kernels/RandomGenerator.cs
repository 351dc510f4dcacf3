using System.Numerics;

namespace TfMnist.Kernels;

/// <summary>
/// xoshiro256** (Blackman and Vigna): a small, fast 64-bit generator, seeded through SplitMix64.
/// One instance per random op per session (the ops choose it by TF's seeding rule); not thread-safe by itself,
/// so kernels lock it while filling.
/// </summary>
public sealed class RandomGenerator
{
    private ulong _s0, _s1, _s2, _s3;
    private double _spareNormal;
    private bool _hasSpare;

    public RandomGenerator(ulong seed)
    {
        ulong x = seed;
        _s0 = SplitMix64(ref x);
        _s1 = SplitMix64(ref x);
        _s2 = SplitMix64(ref x);
        _s3 = SplitMix64(ref x);
    }

    /// <summary>A generator seeded from two 64-bit seeds (TF's seed/seed2 pair).</summary>
    public RandomGenerator(ulong seed, ulong seed2) : this(Mix(seed, seed2)) { }

    public ulong NextUInt64()
    {
        ulong result = BitOperations.RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = BitOperations.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1) with 53 bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>
    /// Uniform floats in [0, 1 - 2^-23] with 23 random bits each, as TF's random_uniform makes them: then 1 + u
    /// stays below 2, so TF 1.x's dropout mask floor(keep_prob + u) is exactly 1 at keep_prob 1. With 24 bits the
    /// largest u, 1 - 2^-24, made 1 + u round to 2 and doubled an activation — about once in 17 test-set passes.
    /// The stream advances once per call and element i is SplitMix64's output for (that draw + i): a counter-based
    /// generator whose lanes are independent, so whole vectors are filled at once.
    /// </summary>
    public void FillUniform(Span<float> destination) => FillUniformAt(destination, NextUInt64(), 0);

    /// <summary>The same values as <see cref="FillUniform(Span{float})"/>, split over the cores for large arrays.</summary>
    public void FillUniform(float[] destination, int length)
    {
        ParallelSplit.For(length, 16, (destination, start: NextUInt64()),
            static (s, first, count) => FillUniformAt(s.destination.AsSpan(first, count), s.start, first));
    }

    /// <summary>Writes elements firstIndex.. of the stream that starts at <paramref name="start"/>.</summary>
    internal static void FillUniformAt(Span<float> destination, ulong start, long firstIndex)
    {
        start += (ulong)firstIndex * Golden;
        int i = 0;
        if (Vector.IsHardwareAccelerated && destination.Length >= 2 * Vector<ulong>.Count)
        {
            int lanes = Vector<ulong>.Count;
            Span<ulong> offsets = stackalloc ulong[lanes];
            // Lane k of the j-th vector holds counter start + (j * lanes + k + 1) * Golden.
            for (int k = 0; k < lanes; k++) offsets[k] = (ulong)(k + 1) * Golden;
            var step = new Vector<ulong>((ulong)lanes * Golden);
            var counter = new Vector<ulong>(start) + new Vector<ulong>(offsets) - step;
            var scale = new Vector<float>(UnitScale);
            for (; i + 2 * lanes <= destination.Length; i += 2 * lanes)
            {
                var low = Mix64(counter += step);
                var high = Mix64(counter += step);
                var bits = Vector.Narrow(Vector.ShiftRightLogical(low, 64 - UnitBits), Vector.ShiftRightLogical(high, 64 - UnitBits));
                (Vector.ConvertToSingle(Vector.AsVectorInt32(bits)) * scale).CopyTo(destination.Slice(i));
            }
        }
        // Element i is always Mix64(start + (i + 1) * Golden), whichever path produced it.
        for (ulong counter = start + (ulong)i * Golden; i < destination.Length; i++)
            destination[i] = UnitFloat(Mix64(counter += Golden));
    }

    private const int UnitBits = 23;
    private const float UnitScale = 1f / (1 << UnitBits);

    /// <summary>The uniform float of 64 random bits: their top 23 bits times 2^-23.</summary>
    internal static float UnitFloat(ulong bits) => (bits >> (64 - UnitBits)) * UnitScale;

    private const ulong Golden = 0x9E3779B97F4A7C15;

    private static ulong Mix64(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
        return z ^ (z >> 31);
    }

    private static Vector<ulong> Mix64(Vector<ulong> z)
    {
        z = (z ^ Vector.ShiftRightLogical(z, 30)) * new Vector<ulong>(0xBF58476D1CE4E5B9);
        z = (z ^ Vector.ShiftRightLogical(z, 27)) * new Vector<ulong>(0x94D049BB133111EB);
        return z ^ Vector.ShiftRightLogical(z, 31);
    }

    public void FillNormal(Span<float> destination)
    {
        int i = 0;
        if (_hasSpare && destination.Length > 0)
        {
            destination[i++] = (float)_spareNormal;
            _hasSpare = false;
        }
        for (; i < destination.Length; i += 2)
        {
            // 1 - u is in (0, 1], so the log is finite.
            double radius = Math.Sqrt(-2.0 * Math.Log(1.0 - NextDouble()));
            var (sin, cos) = Math.SinCos(2.0 * Math.PI * NextDouble());
            destination[i] = (float)(radius * cos);
            if (i + 1 < destination.Length) destination[i + 1] = (float)(radius * sin);
            else { _spareNormal = radius * sin; _hasSpare = true; }
        }
    }

    private static ulong Mix(ulong a, ulong b)
    {
        ulong x = a;
        ulong h = SplitMix64(ref x);
        x = h ^ b;
        return SplitMix64(ref x);
    }

    private static ulong SplitMix64(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
