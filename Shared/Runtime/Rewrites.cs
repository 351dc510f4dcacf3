using TfMnist.Framework;
using TfMnist.Kernels;
using TfMnist.Ops;

namespace TfMnist.Runtime;

/// <summary>When a rewrite decides: once, as a plan is built, or on every run, inside a kernel.</summary>
internal enum RewriteStage
{
    /// <summary>Decided when the plan is built (<see cref="ElementwiseFusion.Find"/>): a <see cref="FusionGroup"/> per match.</summary>
    Plan,
    /// <summary>Decided by a kernel on each run's values; the plan holds nothing for it.</summary>
    Run,
}

/// <summary>
/// One rewrite of the engine: what it matches, what must hold for it to act, the op contract it leans on, and
/// where it acts. Every rewrite gives the bits of the plain kernels run one by one (the reference executor's,
/// which takes none of them); the differential suite checks that on random graphs.
/// </summary>
/// <param name="Name">A short name, unique in <see cref="Rewrites.All"/>.</param>
/// <param name="Stage">When it decides.</param>
/// <param name="Pattern">The ops (or values) it matches.</param>
/// <param name="Guard">What must hold besides the pattern; when a run-time part of it fails, the plain kernels run.</param>
/// <param name="ReliesOn">The <see cref="OpDefinition"/> members (and op interfaces such as <see cref="ITileKernel"/>) it reads.</param>
/// <param name="ActsIn">The code that finds and runs it.</param>
/// <param name="Probe">The <see cref="KernelProbe"/> path a run counts when it acts; null for a fallback to the plain path.</param>
/// <param name="Find">For a plan-time rewrite, its matches in a plan (run by <see cref="ElementwiseFusion.Find"/> in table order).</param>
internal sealed record Rewrite(
    string Name, RewriteStage Stage, string Pattern, string Guard, string[] ReliesOn, string ActsIn,
    KernelProbe.Path? Probe, Func<FusionSearch, List<FusionGroup>>? Find = null);

/// <summary>
/// A plan's ops as the plan-time rewrites search them: <paramref name="Steps"/> in plan order, each one's index,
/// its direct and transitive predecessors (a bit set per step), and the fetched tensors.
/// </summary>
internal sealed record FusionSearch(
    Operation[] Steps, Dictionary<Operation, int> Index, HashSet<int>[] Preds, ulong[][] Ancestors, HashSet<Tensor> Fetched)
{
    /// <summary>Steps an earlier rewrite of the table took and later ones must leave alone.</summary>
    public HashSet<int> Taken { get; } = [];
}

/// <summary>
/// Every rewrite the engine makes, in one table: the plan-time fusions in the order <see cref="ElementwiseFusion.Find"/>
/// runs them, then the choices kernels make at run time. A <see cref="SessionOptions.Reference"/> session takes none:
/// its plans hold no fused step and <see cref="KernelPolicy.Reference"/> turns the run-time ones off.
/// </summary>
internal static class Rewrites
{
    /// <summary>The Round into MatMul pair (with its bias/ReLU epilogue).</summary>
    public static readonly Rewrite RoundIntoMatMul = new(
        Name: "RoundIntoMatMul",
        Stage: RewriteStage.Plan,
        Pattern: "MatMul(Round(x), w), transpose_a false, float A: the binarised input layer; then, as an epilogue, the Add or "
            + "BiasAdd of the product and a vector, and a Relu of that sum. Members [Round, MatMul(, Add(, Relu))].",
        Guard: "The direct edge into A is the only path from Round to MatMul (no path through another step, not matmul(r, r)); "
            + "a Round joins one pair. Epilogue only when the product is not fetched and the add is its only reader, reads it once "
            + "(as input 0 of a BiasAdd), the bias is a rank-1 float, and the group stays convex (the Relu likewise). Round's "
            + "output is written only as far as other readers read it (LeadingElementsRead through views). At run time the "
            + "members run unfused unless both operands are float matrices that fit, MatMulPrefersSparse says yes on x before "
            + "rounding, and the bias is a float vector of N.",
        ReliesOn: [nameof(OpDefinition.Type), nameof(OpDefinition.LeadingElementsRead)],
        ActsIn: "ElementwiseFusion.RoundIntoMatMul (RoundProducts, Epilogue) makes a RoundIntoProduct (FusionGroup.cs); "
            + "RoundMatMulKernel runs it through Gemm.MultiplySparseLeftRounding.",
        Probe: KernelProbe.Path.FusedStep,
        Find: ElementwiseFusion.RoundIntoMatMul);

    /// <summary>Connected elementwise ops as one tiled loop.</summary>
    public static readonly Rewrite ElementwiseLoop = new(
        Name: "ElementwiseLoop",
        Stage: RewriteStage.Plan,
        Pattern: "Two or more connected float ops with a tile kernel (Add, Sub, Mul, RealDiv, Floor, Relu, RandomUniform, ...) "
            + "whose static output shapes are compatible: TF 1.x dropout's RandomUniform, mul, add, add, Floor, div, mul as one pass.",
        Guard: "Each member has one float output that is not statically one element and float tile operands; it was not taken "
            + "by an earlier rewrite (a Round-into-MatMul epilogue). An op joins its producers' groups when the union stays "
            + "convex (else the largest that does, else starts one); an op whose readers are all in another group moves there "
            + "when both stay convex. At run time members whose shapes do not cover the same elements (broadcasting other "
            + "than a one-element operand or a repeated trailing row) run one after another with their own kernels.",
        ReliesOn: [nameof(ITileKernel)],
        ActsIn: "ElementwiseFusion.ElementwiseLoops (LoopGroups, MoveToSoleReaders, Loop) makes an ElementwiseLoop "
            + "(FusionGroup.cs); FusedElementwiseKernel runs it tile by tile.",
        Probe: KernelProbe.Path.FusedStep,
        Find: ElementwiseFusion.ElementwiseLoops);

    /// <summary>Both histograms of a layer from one pass over its pre-activation.</summary>
    public static readonly Rewrite ReluHistogram = new(
        Name: "ReluHistogram",
        Stage: RewriteStage.Plan,
        Pattern: "HistogramSummary(x) and HistogramSummary(Relu(x)) of a float x in one plan (create_nn_layer's \"linear\" "
            + "and \"activations\"). Members [x's histogram, Relu's histogram].",
        Guard: "The Relu is a step of the plan; a histogram joins one pair at most (relu(relu(x)) would put the middle one in "
            + "two steps); the pair stays convex. At run time a non-float x runs the two histograms unfused.",
        ReliesOn: [nameof(OpDefinition.Type)],
        ActsIn: "ElementwiseFusion.ReluHistograms makes a ReluHistogramPair (FusionGroup.cs); ReluHistogramKernel runs it "
            + "through Histogram.SummarizeWithReluToSummaryBytes.",
        Probe: KernelProbe.Path.FusedStep,
        Find: ElementwiseFusion.ReluHistograms);

    /// <summary>TF 1.x dropout's mask at keep_prob 1, filled instead of drawn and floored.</summary>
    public static readonly Rewrite ConstantDropoutMask = new(
        Name: "ConstantDropoutMask",
        Stage: RewriteStage.Run,
        Pattern: "Inside an elementwise loop: Floor of a chain of Adds and Muls, each with one operand from outside, ending "
            + "at a RandomUniform (floor(keep_prob + random_uniform(shape))); no link but the Floor exported or read by "
            + "another member.",
        Guard: "This run every outside operand of the chain is a single value and floor gives the same finite value at both "
            + "ends of the uniform's range [0, 1 - 2^-23] (keep_prob 1): the links and the RandomUniform are skipped (its "
            + "BeginRun still draws the run's start, so later runs see the same values) and the Floor's tiles are filled.",
        ReliesOn: [nameof(OpDefinition.Type), nameof(ITileKernel)],
        ActsIn: "FusedElementwiseKernel: FindMaskPatterns when the kernel is made, ConstantMasks on each run "
            + "(counted by FusedElementwiseKernel.ConstantMasksFound).",
        Probe: KernelProbe.Path.FusedStep);

    /// <summary>x · 1 publishes x.</summary>
    public static readonly Rewrite ForwardTimesOne = new(
        Name: "ForwardTimesOne",
        Stage: RewriteStage.Run,
        Pattern: "An elementwise loop whose only exported member is x · 1, 1 · x or x / 1 (1 a constant mask or a single "
            + "value), through any chain of such, with x from outside the group: dropout at keep_prob 1.",
        Guard: "This run x has the group's full length and shape and is not a variable's storage (followed through "
            + "ForwardedInput to IsVariable, as ForwardedStorage does), and no member on the chain is skipped; a "
            + "signalling NaN in x would be quieted by the arithmetic, the only bits this does not reproduce. The group then "
            + "publishes x itself and computes nothing.",
        ReliesOn: [nameof(OpDefinition.Type), nameof(OpDefinition.ForwardedInput), nameof(OpDefinition.IsVariable)],
        ActsIn: "FusedElementwiseKernel.IdentityOf on each run (counted by FusedElementwiseKernel.IdentitiesForwarded); "
            + "ForwardedStorage.IsVariable.",
        Probe: KernelProbe.Path.FusedStep);

    /// <summary>A mostly-zero left operand skips its zeros.</summary>
    public static readonly Rewrite SparseLeftMatMul = new(
        Name: "SparseLeftMatMul",
        Stage: RewriteStage.Run,
        Pattern: "A float MatMul whose A is mostly zero (TF's a_is_sparse, decided from the values): the binarised input.",
        Guard: "Gemm.MatMulPrefersSparse: not under the reference policy, A has more than two rows (SmallKKernel.RowsReadingBInPlace: "
            + "one or two rows run dense, reading B in place), at least 16 columns and 1024 elements, the "
            + "product more than SmallNKernel.MaxN columns, and at least SparseZeroFraction of up to 16 sampled rows is zero. "
            + "Same bits as the dense product but the sign of a -0 accumulator.",
        ReliesOn: [],
        ActsIn: "MatMulOp.Compute and RoundMatMulKernel ask Gemm.MatMulPrefersSparse (GemmSparse.cs); "
            + "Gemm.MultiplySparseLeft runs it.",
        Probe: KernelProbe.Path.SparseProduct);

    /// <summary>The sparse product's way back to the dense one.</summary>
    public static readonly Rewrite DenseWhenBNotFinite = new(
        Name: "DenseWhenBNotFinite",
        Stage: RewriteStage.Run,
        Pattern: "A product SparseLeftMatMul chose whose op(B) holds an Inf or a NaN.",
        Guard: "Found while op(B) is checked (scalar tier) or packed (PackRowMajor): leaving out a zero of A is exact only "
            + "against a finite b (0 · Inf and 0 · NaN are NaN), so Gemm.Multiply computes the product instead.",
        ReliesOn: [],
        ActsIn: "Gemm.MultiplySparseLeft and Gemm.MultiplySparseLeftRounding (GemmSparse.cs); the Round-into-MatMul "
            + "kernel then runs its members unfused.",
        Probe: null);

    /// <summary>Every rewrite: the plan-time ones in the order they claim steps, then the run-time ones.</summary>
    public static IReadOnlyList<Rewrite> All { get; } =
        [RoundIntoMatMul, ElementwiseLoop, ReluHistogram, ConstantDropoutMask, ForwardTimesOne, SparseLeftMatMul, DenseWhenBNotFinite];
}
