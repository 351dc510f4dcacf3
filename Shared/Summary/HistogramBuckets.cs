namespace TfMnist.Summary;

/// <summary>
/// TensorFlow 1.x's default histogram bucket limits and a fast "upper bound" lookup into them.
/// Bucket i counts values v with limits[i-1] &lt;= v &lt; limits[i].
/// </summary>
public static class HistogramBuckets
{
    // TF grows positive limits by 10% from 1e-12 while below 1e20 (774 of them), mirrors them
    // for negatives, and adds 0 and the +-DBL_MAX sentinels: 2 * 774 + 3 = 1551 limits.
    private const double First = 1e-12;
    private const double Growth = 1.1;
    private const double Ceiling = 1e20;

    private static readonly double[] s_limits = Build(out s_positiveCount);
    private static readonly int s_positiveCount;

    // Index of limit 0.0; negatives sit below it, positives (smallest first) right above it.
    private static readonly int s_zeroIndex = s_positiveCount + 1;
    private static readonly double s_invLogGrowth = 1.0 / Math.Log(Growth);
    private static readonly double s_logFirst = Math.Log(First);

    public static ReadOnlySpan<double> Limits => s_limits;

    public static int Count => s_limits.Length;

    private static double[] Build(out int positiveCount)
    {
        var positives = new List<double>();
        // Repeated multiplication, not First * Growth^k: the limits must be the very doubles
        // TensorFlow computed, because TensorBoard and our conformance tests compare them.
        for (double v = First; v < Ceiling; v *= Growth)
            positives.Add(v);
        positiveCount = positives.Count;
        var limits = new double[2 * positives.Count + 3];
        int n = 0;
        limits[n++] = -double.MaxValue;
        for (int i = positives.Count - 1; i >= 0; i--) limits[n++] = -positives[i];
        limits[n++] = 0.0;
        foreach (double v in positives) limits[n++] = v;
        limits[n] = double.MaxValue;
        return limits;
    }

    /// <summary>
    /// Index of the first limit greater than <paramref name="value"/> (std::upper_bound), equal
    /// to <see cref="Count"/> only for value &gt;= DBL_MAX. NaN is the caller's to reject.
    /// </summary>
    public static int IndexOf(double value)
    {
        // A logarithm predicts the bucket in O(1); the table walk below then makes the answer
        // exact, since the predicted index can be one off where rounding of the log or of the
        // repeatedly multiplied limits puts a value right at a boundary.
        double magnitude = Math.Abs(value);
        int guess;
        if (magnitude < First)
        {
            guess = s_zeroIndex + (value < 0 ? 0 : 1);
        }
        else
        {
            // k such that positives[k] <= magnitude < positives[k+1], approximately.
            double k = Math.Floor((Math.Log(magnitude) - s_logFirst) * s_invLogGrowth);
            int ki = k >= s_positiveCount ? s_positiveCount : (int)k;
            guess = value > 0 ? s_zeroIndex + 1 + ki + 1 : s_zeroIndex - 1 - ki;
        }
        return Correct(guess, value);
    }

    private static int Correct(int index, double value)
    {
        double[] limits = s_limits;
        if (index < 0) index = 0;
        if (index > limits.Length) index = limits.Length;
        while (index > 0 && limits[index - 1] > value) index--;
        while (index < limits.Length && limits[index] <= value) index++;
        return index;
    }
}
