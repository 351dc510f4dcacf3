using TfMnist.Framework;
using TfMnist.Runtime;

namespace TfMnist.Tests.Differential;

/// <summary>
/// When a fast result counts as "the same" as the reference's — the suite's contract, written once here
/// (see README.md beside this file):
/// <list type="bullet">
/// <item>Floats are compared bit for bit, +0 and -0 included, except that any NaN equals any NaN (payload and
/// sign are not promised: a forwarded x · 1 keeps a signalling NaN a multiply would quiet, and which operand's
/// payload an IEEE operation propagates is the hardware's choice).</item>
/// <item>The engine promises the same bits for every GEMM path (each element one fused multiply-add chain,
/// k ascending, on every tier, thread count, sparse or dense path), for fused and unfused elementwise ops,
/// and for histograms taken from one pass; so no op is in <see cref="TolerantOps"/> today. An op whose fast
/// kernel may legitimately sum in another order than its reference kernel goes there with a relative
/// tolerance, and every result downstream of it is compared with that tolerance (values after a
/// discontinuous op downstream, e.g. Round or Floor, only for shape and NaN positions).</item>
/// <item>The sign of a zero is not promised for a MatMul's result nor anything computed from it (<see cref="ZeroSignOps"/>):
/// the sparse-left path leaves out the ±0 terms of A, which the dense chain adds, and that changes an accumulator
/// of -0 (a partial sum that underflowed to -0) into +0 on the dense path only (Shared/Kernels/GemmSparse.cs).
/// +0 and -0 count as equal there; a difference that grows from that sign (1/±0) would still be reported.</item>
/// <item>Strings (serialized summaries) and integer tensors: byte for byte; shapes and dtypes always exactly.</item>
/// </list>
/// </summary>
internal static class ComparisonRules
{
    /// <summary>Op types whose fast kernel may sum in another order than the reference one, with the relative
    /// tolerance allowed for them. Empty: the engine promises bits everywhere.</summary>
    public static readonly IReadOnlyDictionary<string, float> TolerantOps = new Dictionary<string, float>();

    /// <summary>Op types whose result may have the other sign of zero than the reference's (see the class summary).</summary>
    public static readonly IReadOnlySet<string> ZeroSignOps = new HashSet<string> { "MatMul" };

    /// <summary>Ops past which a tolerated difference may become any difference.</summary>
    private static readonly HashSet<string> Discontinuous = ["Round", "Floor", "Max", "Min", "Maximum", "ArgMax", "Equal", "HistogramSummary"];

    /// <summary>The rule for a fetched tensor: bit-exact, or the largest tolerance upstream (NaN when a discontinuous op
    /// follows a tolerant one: shapes and NaN positions only); ±0 equal when a <see cref="ZeroSignOps"/> op is upstream.</summary>
    public static Rule RuleFor(Tensor fetched)
    {
        float tolerance = 0;
        bool anyZeroSign = false;
        bool discontinuousAfter = false;
        var seen = new HashSet<Operation>();
        var stack = new Stack<(Operation Op, bool Below)>();
        stack.Push((fetched.Op, false));
        while (stack.Count > 0)
        {
            var (op, below) = stack.Pop();
            if (!seen.Add(op)) continue;
            bool belowHere = below || Discontinuous.Contains(op.Type);
            anyZeroSign |= ZeroSignOps.Contains(op.Type);
            if (TolerantOps.TryGetValue(op.Type, out float t))
            {
                tolerance = Math.Max(tolerance, t);
                discontinuousAfter |= below;
            }
            foreach (var input in op.Inputs) stack.Push((input.Op, belowHere));
        }
        return new Rule(discontinuousAfter ? float.NaN : tolerance, anyZeroSign);
    }

    /// <summary>How one fetched tensor is compared.</summary>
    /// <param name="Tolerance">0: bit for bit; else relative; NaN: shapes and NaN positions only.</param>
    /// <param name="AnyZeroSign">+0 equals -0.</param>
    public readonly record struct Rule(float Tolerance, bool AnyZeroSign)
    {
        public override string ToString() =>
            (Tolerance == 0 ? "bit-exact" : float.IsNaN(Tolerance) ? "NaN positions only" : $"tolerance {Tolerance}") + (AnyZeroSign ? ", ±0 equal" : "");
    }

    /// <summary>Null when <paramref name="actual"/> counts as equal to <paramref name="expected"/>, else what differs first.</summary>
    public static string? Difference(NDArray? expected, NDArray? actual, Rule rule)
    {
        if (expected is null || actual is null)
            return expected is null && actual is null ? null : $"value {(expected is null ? "absent in reference" : "absent in fast run")}";
        if (expected.DType != actual.DType || !expected.ShapeEquals(actual.Shape))
            return $"reference {expected}, fast {actual}";
        if (expected.DType == DType.String)
        {
            for (int i = 0; i < expected.Size; i++)
                if (!expected.Strings[i].AsSpan().SequenceEqual(actual.Strings[i]))
                    return $"string {i} differs ({expected.Strings[i].Length} vs {actual.Strings[i].Length} bytes, first differing byte {FirstDifference(expected.Strings[i], actual.Strings[i])})";
            return null;
        }
        if (expected.DType != DType.Float)
            return expected.RawBytes.SequenceEqual(actual.RawBytes) ? null : "raw bytes differ";
        var e = expected.Floats;
        var a = actual.Floats;
        for (int i = 0; i < e.Length; i++)
            if (!Same(e[i], a[i], rule))
                return $"element {i}{Position(expected.Shape, i)}: reference {Show(e[i])}, fast {Show(a[i])}";
        return null;
    }

    public static bool Same(float expected, float actual, Rule rule)
    {
        float tolerance = rule.Tolerance;
        if (rule.AnyZeroSign && expected == 0 && actual == 0) return true;
        if (float.IsNaN(expected) || float.IsNaN(actual)) return float.IsNaN(expected) && float.IsNaN(actual);
        if (BitConverter.SingleToInt32Bits(expected) == BitConverter.SingleToInt32Bits(actual)) return true;
        if (float.IsNaN(tolerance)) return true;
        if (tolerance == 0 || float.IsInfinity(expected) || float.IsInfinity(actual)) return false;
        return Math.Abs(expected - actual) <= tolerance * Math.Max(1f, Math.Max(Math.Abs(expected), Math.Abs(actual)));
    }

    public static string Show(float value) => $"{value:R} (0x{BitConverter.SingleToInt32Bits(value):X8})";

    private static string Position(int[] shape, int flat)
    {
        if (shape.Length < 2) return "";
        var index = new int[shape.Length];
        for (int d = shape.Length - 1; d >= 0; d--) { index[d] = flat % shape[d]; flat /= shape[d]; }
        return $" [{string.Join(",", index)}]";
    }

    private static int FirstDifference(byte[] a, byte[] b)
    {
        int n = Math.Min(a.Length, b.Length);
        for (int i = 0; i < n; i++) if (a[i] != b[i]) return i;
        return n;
    }
}
