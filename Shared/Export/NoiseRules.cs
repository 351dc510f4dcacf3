using TfMnist.Core;

namespace TfMnist.Export;

/// <summary>
/// TF's dropout at keep_prob 1 without its random numbers. tf.nn.dropout computes
/// <c>x / keep_prob * floor(keep_prob + U)</c> with U = random_uniform(shape(x)) (itself <c>U₀ · (max - min) + min</c>
/// = <c>U₀ · 1 + 0</c>); with keep_prob fed 1 the floor is exactly 1 everywhere, so the mask is a fill of 1 in
/// x's shape, <c>· 1</c> and <c>/ 1</c> are exact, and the subgraph maps to nothing. Any other use of random
/// values is an error naming the op: an ONNX model of it would not give our results.
/// </summary>
internal static class NoiseRules
{
    public static ExportValue RandomUniform(OpExport op)
    {
        if (op.Op.Outputs[0].DType != DType.Float) throw op.Unsupported("random values of a type other than float32");
        return new ExportValue.UniformNoise(0f, op.In(0));
    }

    /// <summary>floor(offset + U) is the offset for offsets 0 and 1; a fill of a shape known at export time folds.</summary>
    public static ExportValue Floor(OpExport op)
    {
        if (op.In(0) is not ExportValue.UniformNoise noise) return op.Emit("Floor", 6, [op.Use(0)]);
        if (noise.Offset is not (0f or 1f))
            throw op.Unsupported($"floor({noise.Offset} + uniform noise) is random (dropout with keep_prob {noise.Offset}?); feed keep_prob 1");
        if (noise.ShapeTensor is ExportValue.Folded shape)
        {
            var dims = OnnxOpTable.ToLongs(shape.Value).Select(d => checked((int)d)).ToArray();
            var filled = NDArray.Zeros(DType.Float, dims);
            filled.Floats.Fill(noise.Offset);
            return new ExportValue.Folded(filled);
        }
        return new ExportValue.Filled(noise.Offset, noise.ShapeTensor);
    }

    /// <summary>Add: noise + 0 or + 1 stays exact noise; otherwise an ordinary Add.</summary>
    public static ExportValue Add(OpExport op)
    {
        if (Noise(op, out var noise, out var other))
        {
            if (other is ExportValue.Folded c && c.IsScalar && c.Value.ScalarFloat() is 0f or 1f && noise.Offset + c.Value.ScalarFloat() is 0f or 1f)
                return noise with { Offset = noise.Offset + c.Value.ScalarFloat() };
            throw op.Unsupported("adds to random values something other than 0 or 1 (dropout with keep_prob below 1?); feed keep_prob 1");
        }
        return OnnxOpTable.Binary("Add", 7)(op);
    }

    /// <summary>Mul: noise · 1 stays noise; x · 1 (a scalar, or the dropout's fill of x's own shape) is x.</summary>
    public static ExportValue Mul(OpExport op)
    {
        if (Noise(op, out var noise, out var factor))
            return factor is ExportValue.Folded one && one.IsScalarEqualTo(1)
                ? noise
                : throw op.Unsupported("scales random values (dropout with keep_prob below 1?); feed keep_prob 1");
        for (int i = 0; i < 2; i++)
        {
            var x = op.In(1 - i);
            if (op.In(i) is ExportValue.Folded f && f.IsScalarEqualTo(1) && x is ExportValue.Runtime or ExportValue.Folded)
                return x;
            if (op.In(i) is ExportValue.Filled fill && x is ExportValue.Runtime r && fill.HasShapeOf(r.Name))
            {
                if (fill.Fill == 1f) return r;
                string scalar = op.Builder.Initializer($"{op.Op.Inputs[i].Name}/fill", NDArray.ScalarOf(fill.Fill, DType.Float));
                return op.Emit("Mul", 7, i == 0 ? [scalar, r.Name] : [r.Name, scalar]);
            }
        }
        return OnnxOpTable.Binary("Mul", 7)(op);
    }

    private static bool Noise(OpExport op, out ExportValue.UniformNoise noise, out ExportValue other)
    {
        for (int i = 0; i < 2; i++)
            if (op.In(i) is ExportValue.UniformNoise n)
            {
                noise = n;
                other = op.In(1 - i);
                return true;
            }
        noise = null!;
        other = null!;
        return false;
    }
}
