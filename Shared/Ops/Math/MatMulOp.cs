using TfMnist.Framework;
using TfMnist.Kernels;
using TfMnist.Runtime;

namespace TfMnist.Ops;

/// <summary>MatMul: op(a) · op(b) for rank-2 float tensors, op = transpose when transpose_a/transpose_b.</summary>
public sealed class MatMulOp : OpDefinition
{
    public override string Type => "MatMul";

    public override OutputSpec[] InferOutputs(Operation op)
    {
        var (a, b) = (op.Inputs[0], op.Inputs[1]);
        if (a.DType != b.DType)
            throw ShapeError(op, $"inputs '{a.Name}' ({a.DType.TfName()}) and '{b.Name}' ({b.DType.TfName()}) must have the same dtype");
        bool ta = op.Attrs.GetBool("transpose_a", false), tb = op.Attrs.GetBool("transpose_b", false);
        var sa = a.Shape.IsKnownRank ? a.Shape : Shape.UnknownOfRank(2);
        var sb = b.Shape.IsKnownRank ? b.Shape : Shape.UnknownOfRank(2);
        if (sa.Rank != 2) throw ShapeError(op, $"'{a.Op.Name}' must be a matrix, but has shape {a.Shape}");
        if (sb.Rank != 2) throw ShapeError(op, $"'{b.Op.Name}' must be a matrix, but has shape {b.Shape}");
        int m = ta ? sa[1] : sa[0], ka = ta ? sa[0] : sa[1];
        int kb = tb ? sb[1] : sb[0], n = tb ? sb[0] : sb[1];
        if (ka >= 0 && kb >= 0 && ka != kb)
            throw ShapeError(op,
                $"dimensions must be equal, but are {ka} and {kb} for '{op.Name}' (op: 'MatMul') with input shapes: {a.Shape}, {b.Shape} ('{a.Op.Name}', '{b.Op.Name}')");
        return [new(a.DType, new Shape(m, n))];
    }

    private sealed record Flags(bool TransA, bool TransB);

    public override void Prepare(Operation op) =>
        op.KernelCache ??= new Flags(op.Attrs.GetBool("transpose_a", false), op.Attrs.GetBool("transpose_b", false));

    public override void Compute(KernelContext ctx)
    {
        var (a, b) = (ctx.Input(0), ctx.Input(1));
        var flags = (Flags)ctx.Op.KernelCache!;
        if (a.DType != DType.Float) throw new NotSupportedException($"'{ctx.Op.Name}' (MatMul) supports float32 only, not {a.DType.TfName()}.");
        if (a.Rank != 2 || b.Rank != 2)
            throw new InvalidArgumentException($"In[0] and In[1] of '{ctx.Op.Name}' must be matrices: [{string.Join(",", a.Shape)}], [{string.Join(",", b.Shape)}]");
        int m = flags.TransA ? a.Shape[1] : a.Shape[0], k = flags.TransA ? a.Shape[0] : a.Shape[1];
        int kb = flags.TransB ? b.Shape[1] : b.Shape[0], n = flags.TransB ? b.Shape[0] : b.Shape[1];
        if (k != kb)
            throw new InvalidArgumentException(
                $"Matrix size-incompatible: In[0]: [{a.Shape[0]},{a.Shape[1]}], In[1]: [{b.Shape[0]},{b.Shape[1]}] in '{ctx.Op.Name}'");
        var output = ctx.Output(0, DType.Float, [m, n]);
        // TF leaves a_is_sparse false in the original graph; we notice a mostly-zero A (the binarised input) at
        // run time instead. Both paths give the same bits, Inf and NaN included (the sparse one computes densely
        // when B is not all finite), but for the sign of a -0 sum in a corner case (see Gemm.MultiplySparseLeft), so
        // this is speed only; narrow products (the output layer, N = 10) always stay dense, where Gemm has a kernel for them.
        if (Gemm.MatMulPrefersSparse(a.Floats, a.Shape[0], a.Shape[1], n))
            Gemm.MultiplySparseLeft(a.Floats, a.Shape[0], a.Shape[1], flags.TransA, b.Floats, b.Shape[0], b.Shape[1], flags.TransB, output.Floats);
        else
            Gemm.Multiply(a.Floats, a.Shape[0], a.Shape[1], flags.TransA, b.Floats, b.Shape[0], b.Shape[1], flags.TransB, output.Floats);
    }

    // TF's _MatMulGrad, case by case ("MatMul" then "MatMul_1"):
    //   a·b:    da = grad·bᵀ,      db = aᵀ·grad
    //   a·bᵀ:   da = grad·b,       db = gradᵀ·a
    //   aᵀ·b:   da = b·gradᵀ,      db = a·grad
    //   aᵀ·bᵀ:  da = bᵀ·gradᵀ,     db = gradᵀ·aᵀ
    public override GradientFunction Gradient => (op, grads) =>
    {
        var (a, b, grad) = (op.Inputs[0], op.Inputs[1], grads[0]!);
        bool ta = op.Attrs.GetBool("transpose_a", false), tb = op.Attrs.GetBool("transpose_b", false);
        return (ta, tb) switch
        {
            (false, false) => [Create(grad, b, transposeB: true), Create(a, grad, transposeA: true)],
            (false, true) => [Create(grad, b), Create(grad, a, transposeA: true)],
            (true, false) => [Create(b, grad, transposeB: true), Create(a, grad)],
            (true, true) => [Create(b, grad, true, true), Create(grad, a, true, true)],
        };
    };

    public static Tensor Create(Tensor a, Tensor b, bool transposeA = false, bool transposeB = false, string name = "MatMul") =>
        OpBuilder.Create(a.Graph, "MatMul", name, [a, b],
            ("transpose_a", Attr.Bool(transposeA)), ("transpose_b", Attr.Bool(transposeB)), OpBuilder.T(a.DType)).Output;
}
