namespace TfMnist.Tests.Export;

/// <summary>
/// What "ONNX Runtime agrees with our Session" means: each value within <see cref="Tolerance"/> of the row's
/// magnitude (max(1, largest |value| in the row): a sum in another order errs relative to its terms), and
/// the same argmax except where our top two values are within that tolerance of each other (a near-tie
/// that a different summation order may flip). Returns the counts for the report.
/// </summary>
internal static class Agreement
{
    public const float Tolerance = 1e-5f;

    public sealed record Result(int Rows, double MaxRelativeError, int NearTies, int ArgmaxFlips, int FlipsOutsideNearTies, int OursCorrect, int OrtCorrect)
    {
        public override string ToString() =>
            $"{Rows} rows: max relative error {MaxRelativeError:E2} (tolerance {Tolerance:E0}), {NearTies} near-ties, {ArgmaxFlips} argmax flips " +
            $"({FlipsOutsideNearTies} outside near-ties); correct: ours {OursCorrect}, ONNX Runtime {OrtCorrect}";
    }

    public static Result Compare(ReadOnlySpan<float> ours, ReadOnlySpan<float> ort, int classes, IReadOnlyList<int>? labels = null)
    {
        Assert.Equal(ours.Length, ort.Length);
        int rows = ours.Length / classes, nearTies = 0, flips = 0, badFlips = 0, oursCorrect = 0, ortCorrect = 0;
        double maxError = 0;
        for (int r = 0; r < rows; r++)
        {
            var a = ours.Slice(r * classes, classes);
            var b = ort.Slice(r * classes, classes);
            float scale = 1;
            foreach (float v in a) scale = Math.Max(scale, Math.Abs(v));
            for (int k = 0; k < classes; k++)
                maxError = Math.Max(maxError, Math.Abs(a[k] - b[k]) / scale);
            int argA = ArgMax(a), argB = ArgMax(b);
            bool nearTie = TopTwoGap(a) <= Tolerance * scale;
            if (nearTie) nearTies++;
            if (argA != argB)
            {
                flips++;
                if (!nearTie) badFlips++;
            }
            if (labels is not null)
            {
                if (argA == labels[r]) oursCorrect++;
                if (argB == labels[r]) ortCorrect++;
            }
        }
        return new Result(rows, maxError, nearTies, flips, badFlips, oursCorrect, ortCorrect);
    }

    public static int ArgMax(ReadOnlySpan<float> row)
    {
        int best = 0;
        for (int k = 1; k < row.Length; k++) if (row[k] > row[best]) best = k;
        return best;
    }

    private static float TopTwoGap(ReadOnlySpan<float> row)
    {
        float first = float.NegativeInfinity, second = float.NegativeInfinity;
        foreach (float v in row)
        {
            if (v > first) (first, second) = (v, first);
            else if (v > second) second = v;
        }
        return first - second;
    }
}
