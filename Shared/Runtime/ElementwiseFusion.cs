using TfMnist.Core;
using TfMnist.Framework;
using TfMnist.Ops;

namespace TfMnist.Runtime;

/// <summary>
/// Plan-time loop fusion of elementwise float ops (in the spirit of XLA's loop fusion and Grappler's
/// remapper): connected ops that map elements independently (<see cref="ITileKernel"/>) run as one
/// step that walks the elements in cache-sized tiles, so an intermediate nothing else reads never
/// goes to memory. TF 1.x's dropout is the case that matters: RandomUniform, mul, add, add, Floor,
/// div and mul over the 10000 x 100 test activations become one pass instead of seven.
/// </summary>
/// <remarks>
/// A group is convex: no path leaves it and comes back, so it can run at one point of the plan. Members
/// share their static output shape, so at run time they normally cover the same elements; when a run's
/// shapes say otherwise (broadcasting other than a one-element operand) the members simply run one after
/// another with their own kernels. Either way each element is computed by the same functions on the
/// same values, so fused and unfused runs give the same bits.
/// </remarks>
internal static class ElementwiseFusion
{
    /// <summary>
    /// The plan's fused steps: the matches of every plan-time rewrite in <see cref="Rewrites.All"/>, in table order
    /// (an earlier rewrite's members may be <see cref="FusionSearch.Taken"/> from later ones), their members given as
    /// indices into <paramref name="steps"/> in plan order. An output is exported when a step outside its group reads it
    /// or it is in <paramref name="fetched"/>.
    /// </summary>
    public static List<FusionGroup> Find(Operation[] steps, HashSet<int>[] preds, HashSet<Tensor> fetched)
    {
        var index = new Dictionary<Operation, int>();
        for (int i = 0; i < steps.Length; i++) index[steps[i]] = i;
        var search = new FusionSearch(steps, index, preds, Ancestors(preds), fetched);
        var groups = new List<FusionGroup>();
        foreach (var rewrite in Rewrites.All)
            if (rewrite.Find is { } find) groups.AddRange(find(search));
        return groups;
    }

    /// <summary>
    /// <see cref="Rewrites.RoundIntoMatMul"/>: [Round, MatMul] pairs with their epilogues. It runs first, as the bias add
    /// and ReLU it takes as an epilogue must not join an elementwise loop: it marks them taken.
    /// </summary>
    internal static List<FusionGroup> RoundIntoMatMul(FusionSearch s)
    {
        var products = RoundProducts(s.Steps, s.Index, s.Preds, s.Ancestors)
            .Select(pair => pair.Concat(Epilogue(s.Steps, pair, s.Index, s.Fetched, s.Preds, s.Ancestors)).ToArray()).ToList();
        s.Taken.UnionWith(products.SelectMany(members => members.Skip(2)));
        return products.Select(members => (FusionGroup)new RoundIntoProduct(members,
            OutputDemand.LeadingElementsRead(s.Steps[members[0]].Outputs[0], s.Index, s.Fetched, except: s.Steps[members[1]]))).ToList();
    }

    /// <summary><see cref="Rewrites.ElementwiseLoop"/>: loop groups of two or more untaken tile-kernel ops.</summary>
    internal static List<FusionGroup> ElementwiseLoops(FusionSearch s) =>
        LoopGroups(s.Steps, s.Index, s.Preds, s.Ancestors, s.Taken).Select(members => (FusionGroup)Loop(s.Steps, members, s.Index, s.Fetched)).ToList();

    /// <summary><see cref="Rewrites.ReluHistogram"/>: histograms of x and Relu(x) as pairs.</summary>
    internal static List<FusionGroup> ReluHistograms(FusionSearch s) =>
        ReluHistogramPairs(s.Steps, s.Index, s.Preds, s.Ancestors).Select(pair => (FusionGroup)new ReluHistogramPair(pair)).ToList();

    /// <summary>
    /// HistogramSummary(x) and HistogramSummary(Relu(x)) in one plan (create_nn_layer's "linear" and "activations"):
    /// the pair as [x's, Relu's] step indices, so both histograms come from one pass over x.
    /// </summary>
    private static List<int[]> ReluHistogramPairs(Operation[] steps, Dictionary<Operation, int> index, HashSet<int>[] preds, ulong[][] ancestors)
    {
        var pairs = new List<int[]>();
        // A histogram joins one pair at most: in histograms of x, relu(x) and relu(relu(x)) the middle one would
        // otherwise be a member of two fused steps, and a parallel run could start one before the other had run.
        var paired = new HashSet<int>();
        var histogramOf = new Dictionary<Tensor, int>();
        for (int i = 0; i < steps.Length; i++)
            if (steps[i].Type == "HistogramSummary" && steps[i].Inputs[1].DType == DType.Float)
                histogramOf.TryAdd(steps[i].Inputs[1], i);
        foreach (var (values, reluHistogram) in histogramOf)
        {
            var relu = values.Op;
            if (relu.Type != "Relu" || !index.ContainsKey(relu) || !histogramOf.TryGetValue(relu.Inputs[0], out int linearHistogram)) continue;
            int[] pair = [linearHistogram, reluHistogram];
            if (paired.Contains(linearHistogram) || paired.Contains(reluHistogram) || !IsConvex([.. pair], preds, ancestors)) continue;
            pairs.Add(pair);
            paired.UnionWith(pair);
        }
        return pairs;
    }

    /// <summary>An elementwise loop's wiring: which member each tile operand reads, and which outputs leave the group.</summary>
    private static ElementwiseLoop Loop(Operation[] steps, int[] members, Dictionary<Operation, int> index, HashSet<Tensor> fetched)
    {
        var position = new Dictionary<Operation, int>();
        for (int m = 0; m < members.Length; m++) position[steps[members[m]]] = m;
        var sources = members.Select(k =>
        {
            var op = steps[k];
            int operands = ((ITileKernel)op.Definition!).TileOperandCount;
            return Enumerable.Range(0, operands).Select(j => position.TryGetValue(op.Inputs[j].Op, out int src) ? src : -1).ToArray();
        }).ToArray();
        var exported = members.Select(k =>
        {
            var output = steps[k].Outputs[0];
            return fetched.Contains(output) || output.Op.Consumers.Any(c =>
                index.ContainsKey(c) && !position.ContainsKey(c) && c.Inputs.Contains(output));
        }).ToArray();
        return new ElementwiseLoop(members, sources, exported);
    }

    /// <summary>Loop groups of two or more step indices (each ascending), grown in plan order.</summary>
    private static List<int[]> LoopGroups(Operation[] steps, Dictionary<Operation, int> index, HashSet<int>[] preds, ulong[][] ancestors,
        HashSet<int> taken)
    {
        int n = steps.Length;
        var groupOf = new int[n];
        Array.Fill(groupOf, -1);
        var groups = new List<HashSet<int>>();

        for (int i = 0; i < n; i++)
        {
            var op = steps[i];
            if (!IsCandidate(op) || taken.Contains(i)) continue;
            var kernel = (ITileKernel)op.Definition!;
            var producerGroups = new List<int>();
            for (int j = 0; j < kernel.TileOperandCount; j++)
                if (index.TryGetValue(op.Inputs[j].Op, out int p) && groupOf[p] >= 0 && SameStaticShape(steps[p], op)
                    && !producerGroups.Contains(groupOf[p]))
                    producerGroups.Add(groupOf[p]);

            // Join every producer group if that stays convex, else the largest that does, else start one.
            var joined = Join(producerGroups, i, groups, preds, ancestors)
                ?? producerGroups.OrderByDescending(g => groups[g].Count)
                    .Select(g => Join([g], i, groups, preds, ancestors)).FirstOrDefault(g => g is not null);
            if (joined is null)
            {
                groups.Add([i]);
                groupOf[i] = groups.Count - 1;
                continue;
            }
            var (target, members) = joined.Value;
            groups[target] = members;
            foreach (int m in members) groupOf[m] = target;
            foreach (int g in producerGroups) if (g != target && members.Overlaps(groups[g])) groups[g] = [];
        }
        MoveToSoleReaders(steps, index, groups, groupOf, preds, ancestors);
        return groups.Where(g => g.Count >= 2).Select(g => g.Order().ToArray()).ToList();
    }

    /// <summary>
    /// The bias add, and the ReLU of it if any, that a [Round, MatMul] pair can finish row by row (in the spirit of
    /// Grappler's MatMul + BiasAdd + Relu fusion): the product's only reader is an Add or BiasAdd of it and a
    /// vector, and the product is not fetched, so it never needs to exist apart from the sum. Empty when not.
    /// </summary>
    private static int[] Epilogue(Operation[] steps, int[] pair, Dictionary<Operation, int> index, HashSet<Tensor> fetched,
        HashSet<int>[] preds, ulong[][] ancestors)
    {
        var product = steps[pair[1]].Outputs[0];
        var readers = Readers(product, index);
        if (fetched.Contains(product) || readers.Count != 1) return [];
        var add = readers[0];
        if (add.Type is not ("Add" or "BiasAdd") || add.Inputs.Count(t => t == product) != 1 || (add.Type == "BiasAdd" && add.Inputs[0] != product))
            return [];
        var bias = add.Inputs[0] == product ? add.Inputs[1] : add.Inputs[0];
        if (bias.DType != DType.Float || bias.Shape.Rank != 1) return [];
        int[] members = [.. pair, index[add]];
        if (!IsConvex([.. members], preds, ancestors)) return [];
        var relu = Readers(add.Outputs[0], index).FirstOrDefault(r => r.Type == "Relu");
        if (relu is null || !IsConvex([.. members, index[relu]], preds, ancestors)) return [index[add]];
        return [index[add], index[relu]];
    }

    private static List<Operation> Readers(Tensor tensor, Dictionary<Operation, int> index) =>
        tensor.Op.Consumers.Distinct().Where(c => index.ContainsKey(c) && c.Inputs.Contains(tensor)).ToList();

    /// <summary>
    /// Pairs [Round, MatMul] where the MatMul (not transposing A) reads the Round's output as its left operand
    /// and nothing else connects them: they can run as one step (<see cref="RoundMatMulKernel"/>).
    /// </summary>
    private static List<int[]> RoundProducts(Operation[] steps, Dictionary<Operation, int> index, HashSet<int>[] preds, ulong[][] ancestors)
    {
        var pairs = new List<int[]>();
        var used = new HashSet<int>();
        for (int m = 0; m < steps.Length; m++)
        {
            var op = steps[m];
            if (op.Type != "MatMul" || op.Attrs.GetBool("transpose_a", false) || op.Inputs[0].DType != DType.Float) continue;
            if (!index.TryGetValue(op.Inputs[0].Op, out int r) || steps[r].Type != "Round" || used.Contains(r)) continue;
            // Only the direct edge into A may join them: a path through another step, or Round's output as B too
            // (matmul(r, r)), would need Round's output before the fused step writes it.
            if (op.Inputs[1].Op == steps[r] || preds[m].Any(p => p != r && Has(ancestors[p], r))) continue;
            used.Add(r);
            pairs.Add([r, m]);
        }
        return pairs;
    }

    /// <summary>
    /// Greedy grouping in plan order can put an op in its producer's group although its only reader is
    /// in another: dropout's div (activation / keep_prob) joins the activation's group before the mask's
    /// group reaches it, and would then be written out only to be read back. Such an op moves to its
    /// readers' group when both groups stay convex.
    /// </summary>
    private static void MoveToSoleReaders(Operation[] steps, Dictionary<Operation, int> index, List<HashSet<int>> groups,
        int[] groupOf, HashSet<int>[] preds, ulong[][] ancestors)
    {
        for (int i = 0; i < steps.Length; i++)
        {
            int from = groupOf[i];
            if (from < 0) continue;
            var output = steps[i].Outputs[0];
            var readers = steps[i].Consumers.Where(c => c.Inputs.Contains(output) && index.ContainsKey(c)).Select(c => index[c]).ToList();
            if (readers.Count == 0 || readers.Any(r => groupOf[r] < 0)) continue;
            int to = groupOf[readers[0]];
            if (to == from || readers.Any(r => groupOf[r] != to)) continue;
            var source = new HashSet<int>(groups[from]);
            source.Remove(i);
            var target = new HashSet<int>(groups[to]) { i };
            if (!IsConvex(source, preds, ancestors) || !IsConvex(target, preds, ancestors)) continue;
            groups[from] = source;
            groups[to] = target;
            groupOf[i] = to;
        }
    }

    private static (int Target, HashSet<int> Members)? Join(List<int> producerGroups, int step, List<HashSet<int>> groups,
        HashSet<int>[] preds, ulong[][] ancestors)
    {
        if (producerGroups.Count == 0) return null;
        var members = new HashSet<int>([step]);
        foreach (int g in producerGroups) members.UnionWith(groups[g]);
        return IsConvex(members, preds, ancestors) ? (producerGroups[0], members) : null;
    }

    /// <summary>No member waits, through a step outside the group, for another member.</summary>
    private static bool IsConvex(HashSet<int> members, HashSet<int>[] preds, ulong[][] ancestors)
    {
        foreach (int m in members)
            foreach (int p in preds[m])
                if (!members.Contains(p))
                    foreach (int other in members)
                        if (Has(ancestors[p], other)) return false;
        return true;
    }

    /// <summary>A float op with a tile kernel whose output is not statically a single element.</summary>
    private static bool IsCandidate(Operation op)
    {
        if (op.Definition is not ITileKernel kernel || op.Outputs.Count != 1 || op.Outputs[0].DType != DType.Float)
            return false;
        for (int j = 0; j < kernel.TileOperandCount; j++)
            if (op.Inputs[j].DType != DType.Float) return false;
        var shape = op.Outputs[0].Shape;
        return !(shape.IsFullyDefined && shape.ToArray().All(d => d == 1));
    }

    /// <summary>
    /// Static shapes that may describe the same elements (unknown parts match anything: TF 1.x's dropout
    /// has unknown shapes after adding the unknown-shaped keep_prob). A wrong guess only costs speed:
    /// the run-time check then runs the group unfused.
    /// </summary>
    private static bool SameStaticShape(Operation a, Operation b) =>
        a.Outputs[0].Shape.IsCompatibleWith(b.Outputs[0].Shape);

    /// <summary>For each step, the set of steps it transitively waits for, as a bit set.</summary>
    private static ulong[][] Ancestors(HashSet<int>[] preds)
    {
        int n = preds.Length, words = (n + 63) / 64;
        var result = new ulong[n][];
        var state = new byte[n]; // 0 new, 1 visiting, 2 done
        var stack = new Stack<(int Step, IEnumerator<int> Next)>();
        for (int root = 0; root < n; root++)
        {
            if (state[root] != 0) continue;
            stack.Push((root, preds[root].GetEnumerator()));
            state[root] = 1;
            while (stack.Count > 0)
            {
                var (s, next) = stack.Peek();
                if (next.MoveNext())
                {
                    int p = next.Current;
                    if (state[p] == 0) { state[p] = 1; stack.Push((p, preds[p].GetEnumerator())); }
                    continue;
                }
                stack.Pop();
                var bits = new ulong[words];
                foreach (int p in preds[s])
                {
                    bits[p >> 6] |= 1UL << (p & 63);
                    var pa = result[p];
                    for (int w = 0; w < words; w++) bits[w] |= pa[w];
                }
                result[s] = bits;
                state[s] = 2;
            }
        }
        return result;
    }

    private static bool Has(ulong[] bits, int i) => (bits[i >> 6] & (1UL << (i & 63))) != 0;
}
