using TfMnist.Core;
using TfMnist.Framework;

namespace TfMnist.Tests.Differential;

/// <summary>
/// When a fast result counts as "the same" as the reference's — the suite's contract, written once here after
/// docs/NUMERICS.md (see README.md beside this file):
/// <list type="bullet">
/// <item>Floats bit for bit, +0 and -0 distinct, except that any NaN equals any NaN (a forwarded x · 1 keeps a
/// signalling NaN that a multiply would quiet; which payload an IEEE operation propagates is the hardware's).</item>
/// <item>The sign of a zero is not promised downstream of a MatMul (<see cref="ZeroSignOps"/>: the sparse path keeps a
/// -0 accumulator the dense chain turns into +0), nor, therefore, the sign of an infinity there (1 / ±0).</item>
/// <item>Ops whose fast kernel sums in another order or uses another exp/log than the reference (<see cref="TolerantOps"/>:
/// reductions, softmax, exp, cross-entropy, histogram moments) give values within a relative tolerance, and so does
/// everything computed from them — through variables too: a variable updated from a tolerant value is tolerant in
/// every later read. The tolerance is relative to the largest of 1, the two values and <see cref="Rule.Scale"/>, the
/// largest finite magnitude among the graph's inputs (a sum of 1e30, -1e30 and 1.5 may be 0 in one order and 2 in
/// another: its error is relative to the terms, not the result). Values beyond ±1e37 (Inf included) of one sign
/// count as one class with NaN and ±Inf there (a sum that overflows in one order only may be -Inf in one and NaN in the
/// other); when an input is beyond 1e36 (float.MaxValue is one of the awkward values) only shapes are compared there. Past a discontinuous op (Round, Floor, ...) after a tolerant one only shapes and NaN positions are compared.</item>
/// <item>Condition-aware slack: a tolerated difference may grow downstream (a vector Exp an ulp off, then a MatMul
/// that cancels and a division by a small constant). When a tolerant comparison fails the fixed tolerance, the runner
/// runs the reference executor on copies of the graph with each tolerant op's output perturbed element-wise by
/// 1 ± <see cref="GraphSpecBuilder.PerturbationDelta"/> and allows, per element, <see cref="SlackFactor"/> times the
/// largest |perturbed - reference| on top (<see cref="Difference"/>'s slack). Never under a bit-exact rule.</item>
/// <item>Summaries of tolerant values: a scalar as above; a histogram's bucket limits, counts and count exactly (a value
/// crossing a bucket edge would still be reported), its min, max, sum and sum of squares within the tolerance.</item>
/// <item>Other strings and integer tensors byte for byte; dtypes and shapes exactly.</item>
/// </list>
/// </summary>
internal static class ComparisonRules
{
    /// <summary>Op types whose fast kernel may sum in another order than the reference one, with the relative
    /// tolerance allowed for them. Empty: the engine promises bits everywhere.</summary>
    public static readonly IReadOnlyDictionary<string, float> TolerantOps = new Dictionary<string, float>
    {
        ["Sum"] = 1e-4f, ["Mean"] = 1e-4f, ["Prod"] = 1e-4f,
        ["Softmax"] = 1e-4f, ["LogSoftmax"] = 1e-4f, ["Exp"] = 1e-4f, ["SoftmaxCrossEntropyWithLogits"] = 1e-4f,
        ["HistogramSummary"] = 1e-4f,
    };

    /// <summary>
    /// How many times the perturbed run's deviation a fast result may deviate on top of the fixed tolerance. The
    /// perturbation is 1e-5 relative per element (<see cref="GraphSpecBuilder.PerturbationDelta"/>); the tolerant ops'
    /// own allowance is 1e-4 relative (<see cref="TolerantOps"/>), so 10 x the perturbed deviation is, to first order,
    /// what that allowance becomes at the fetch: the fixed rule's own contract carried through the graph's conditioning.
    /// The fast kernels' documented error is a few ulp (~2e-7..5e-7 relative, docs/NUMERICS.md), 200-500 times below
    /// 1e-4, so the factor leaves room for the random signs' partial cancellation and still bounds a real defect: where
    /// nothing amplifies, the slack is about 1e-4 of the value, and a 1% error fails as before.
    /// </summary>
    public const float SlackFactor = 10;

    /// <summary>Magnitudes beyond this count as one class with Inf in a tolerant comparison.</summary>
    private const float Huge = 1e37f;

    /// <summary>Inputs this large make any reordered sum's overflow, and everything after it, order-dependent.</summary>
    private const float HugeInput = 1e36f;

    /// <summary>Op types whose result may have the other sign of zero than the reference's (see the class summary).</summary>
    public static readonly IReadOnlySet<string> ZeroSignOps = new HashSet<string> { "MatMul" };

    /// <summary>Ops past which a tolerated difference may become any difference.</summary>
    private static readonly HashSet<string> Discontinuous = ["Round", "Floor", "ArgMax", "Equal", "Sign", "Less", "Greater", "LessEqual", "GreaterEqual"];

    /// <summary>Ops that write a variable in place: a read of the variable depends on their inputs too.</summary>
    private static readonly HashSet<string> Updates = ["Assign", "ApplyGradientDescent", "ApplyAdam", "AssignAdd"];

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
            if (op.Type is "VariableV2" or "Variable")
                foreach (var update in op.Consumers.Where(c => Updates.Contains(c.Type) && c.Inputs[0].Op == op))
                    stack.Push((update, belowHere));
        }
        return new Rule(discontinuousAfter ? float.NaN : tolerance, anyZeroSign);
    }

    /// <summary>How one fetched tensor is compared.</summary>
    /// <param name="Tolerance">0: bit for bit; else relative; NaN: shapes and NaN positions only.</param>
    /// <param name="AnyZeroSign">+0 equals -0.</param>
    /// <param name="Scale">The largest finite magnitude among the graph's inputs: the tolerance is relative to it too.</param>
    public readonly record struct Rule(float Tolerance, bool AnyZeroSign, float Scale = 1)
    {
        public override string ToString() =>
            (Tolerance == 0 ? "bit-exact" : float.IsNaN(Tolerance) ? "NaN positions only" : $"tolerance {Tolerance} x max(1, |values|, {Scale})")
            + (AnyZeroSign ? ", ±0 equal" : "");
    }

    /// <summary>Null when <paramref name="actual"/> counts as equal to <paramref name="expected"/>, else what differs first.</summary>
    /// <param name="slack">Per element, an absolute allowance on top of a finite tolerance (see <see cref="SlackFactor"/>);
    /// ignored under a bit-exact or NaN-positions rule.</param>
    public static string? Difference(NDArray? expected, NDArray? actual, Rule rule, float[]? slack = null)
    {
        if (expected is null || actual is null)
            return expected is null && actual is null ? null : $"value {(expected is null ? "absent in reference" : "absent in fast run")}";
        if (expected.DType != actual.DType || !expected.ShapeEquals(actual.Shape))
            return $"reference {expected}, fast {actual}";
        if (expected.DType == DType.String)
        {
            for (int i = 0; i < expected.Size; i++)
                if (!expected.Strings[i].AsSpan().SequenceEqual(actual.Strings[i]) && !SameSummaries(expected.Strings[i], actual.Strings[i], rule))
                    return $"string {i} differs ({expected.Strings[i].Length} vs {actual.Strings[i].Length} bytes, first differing byte {FirstDifference(expected.Strings[i], actual.Strings[i])})";
            return null;
        }
        if (expected.DType != DType.Float)
            return expected.RawBytes.SequenceEqual(actual.RawBytes) ? null : "raw bytes differ";
        var e = expected.Floats;
        var a = actual.Floats;
        for (int i = 0; i < e.Length; i++)
            if (!Same(e[i], a[i], rule, slack is null ? 0 : slack[i]))
                return $"element {i}{Position(expected.Shape, i)}: reference {Show(e[i])}, fast {Show(a[i])}"
                    + (slack is null ? "" : $", slack {slack[i]:R}");
        return null;
    }

    public static bool Same(float expected, float actual, Rule rule, float slack = 0)
    {
        float tolerance = rule.Tolerance;
        // The zero's sign shows through a later division as the sign of an infinity (1 / ±0): the same exception.
        if (rule.AnyZeroSign && (expected == 0 && actual == 0 || float.IsInfinity(expected) && float.IsInfinity(actual))) return true;
        if (float.IsNaN(expected) && float.IsNaN(actual)) return true;
        if (BitConverter.SingleToInt32Bits(expected) == BitConverter.SingleToInt32Bits(actual)) return true;
        if (tolerance == 0) return false;
        // With float.MaxValue-sized inputs a reordered sum may overflow in one order only, and what follows (Sqrt of
        // the sum, a product with it) may be NaN in one and finite in the other: only shapes are compared then.
        if (rule.Scale > HugeInput) return true;
        if (float.IsNaN(tolerance)) return float.IsNaN(expected) == float.IsNaN(actual);
        // NaN, ±Inf and beyond ±1e37 are one class: a sum that overflows in one order may be -Inf in one and NaN
        // (+Inf + -Inf) in the other. NaN positions are still checked wherever no tolerant op is upstream.
        bool hugeE = !(Math.Abs(expected) <= Huge), hugeA = !(Math.Abs(actual) <= Huge);
        if (hugeE || hugeA) return hugeE && hugeA;
        return Math.Abs((double)expected - actual) <= tolerance * Math.Max(Math.Max(1f, rule.Scale), Math.Max(Math.Abs(expected), Math.Abs(actual)))
            + (float.IsFinite(slack) ? slack : 0);
    }

    /// <summary>Two serialized summaries equal but for tolerated values: a scalar by <see cref="Same"/>, a histogram's
    /// min, max, sum and sum of squares within the tolerance (bucket limits, counts and the count exactly). Under a
    /// bit-exact rule that lets ±0 be equal, a summary of a zero downstream of a MatMul may carry either sign too.</summary>
    private static bool SameSummaries(byte[] expected, byte[] actual, Rule rule)
    {
        if (rule.Tolerance == 0 && !rule.AnyZeroSign) return false;
        Proto.Summary e, a;
        try { (e, a) = (Proto.Summary.Parser.ParseFrom(expected), Proto.Summary.Parser.ParseFrom(actual)); }
        catch (Google.Protobuf.InvalidProtocolBufferException) { return false; }
        if (e.Value.Count != a.Value.Count) return false;
        for (int v = 0; v < e.Value.Count; v++)
        {
            var (ve, va) = (e.Value[v], a.Value[v]);
            if (ve.Tag != va.Tag || ve.ValueCase != va.ValueCase) return false;
            if (ve.ValueCase == Proto.Summary.Types.Value.ValueOneofCase.SimpleValue)
            {
                if (!Same(ve.SimpleValue, va.SimpleValue, rule)) return false;
                continue;
            }
            var (he, ha) = (ve.Histo, va.Histo);
            if (he is null || ha is null || he.Num != ha.Num || !he.BucketLimit.Equals(ha.BucketLimit) || !he.Bucket.Equals(ha.Bucket)) return false;
            if (float.IsNaN(rule.Tolerance)) continue;
            // The moments are double sums of up to Num terms of the graph's magnitudes (squared for the second).
            double scale = Math.Max(1, rule.Scale), terms = Math.Max(1, he.Num);
            bool Close(double x, double y, double s) => x == y || Math.Abs(x - y) <= rule.Tolerance * Math.Max(s, Math.Max(Math.Abs(x), Math.Abs(y)));
            if (!Close(he.Min, ha.Min, scale) || !Close(he.Max, ha.Max, scale) || !Close(he.Sum, ha.Sum, scale * terms)
                || !Close(he.SumSquares, ha.SumSquares, scale * scale * terms))
                return false;
        }
        return true;
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
