namespace TfMnist.Tests.Differential;

/// <summary>Fills a value of a <see cref="ValueKind"/> deterministically from its seed and size.</summary>
internal static class SpecValues
{
    /// <summary>The awkward values: NaN, ±Inf, ±0, denormals, huge, and ties for Round.</summary>
    public static readonly float[] Awkward =
    [
        float.NaN, float.PositiveInfinity, float.NegativeInfinity, -0f, 0f, float.Epsilon, -float.Epsilon,
        1e-40f, -3e-39f, 1e30f, -1e30f, 0.5f, -0.5f, 1.5f, 2.5f, float.MaxValue,
    ];

    public static float[] Fill(ValueKind kind, int seed, int count)
    {
        var rng = new Random(seed);
        var values = new float[count];
        for (int i = 0; i < count; i++)
            values[i] = kind switch
            {
                ValueKind.Ordinary => Ordinary(rng),
                ValueKind.Awkward => rng.Next(5) == 0 ? Awkward[rng.Next(Awkward.Length)] : Ordinary(rng),
                ValueKind.Binarisable => rng.Next(100) < 85 ? rng.NextSingle() * 0.5f : 0.5f + rng.NextSingle() * 0.5f,
                ValueKind.MostlyZero => rng.Next(100) < 85 ? (rng.Next(8) == 0 ? -0f : 0f)
                    : rng.Next(4) == 0 ? Awkward[rng.Next(Awkward.Length)] : Ordinary(rng),
                ValueKind.Zeros => 0f,
                ValueKind.Ones => 1f,
                _ => throw new ArgumentOutOfRangeException(nameof(kind)),
            };
        return values;
    }

    private static float Ordinary(Random rng) => rng.NextSingle() * 4f - 2f;
}
