using System.Text;
using TfMnist.Checkpoint;
using TfMnist.Core;
using TfMnist.Framework;

namespace TfMnist.Ops;

/// <summary>
/// RestoreV2: reads named tensors from the TensorBundle at the fed prefix, verifying each CRC
/// and dtype, with errors naming the tensor and the file.
/// </summary>
public sealed class RestoreV2Op : OpDefinition
{
    public override string Type => "RestoreV2";
    public override bool IsNotDifferentiable => true;
    public override bool IsStateful => true;

    public override OutputSpec[] InferOutputs(Operation op)
    {
        var dtypes = op.Attrs.Get("dtypes").List.Type;
        return dtypes.Select(t => new OutputSpec(DTypeExtensions.FromProto(t), Shape.Unknown)).ToArray();
    }

    public override void Compute(KernelContext ctx)
    {
        string prefix = Encoding.UTF8.GetString(ctx.Input(0).Strings[0]);
        var names = ctx.Input(1).Strings;
        var reader = BundleReader.Open(prefix);
        for (int i = 0; i < names.Length; i++)
        {
            string name = Encoding.UTF8.GetString(names[i]);
            if (!reader.Contains(name))
                throw new KeyError($"Key {name} not found in checkpoint {prefix}");
            var entry = reader.GetEntry(name);
            var expected = ctx.Op.Outputs[i].DType;
            var dtype = DTypeExtensions.FromProto(entry.DType);
            if (dtype != expected)
                throw new InvalidArgumentException(
                    $"Checkpoint {prefix}: tensor '{name}' is {dtype.TfName()}, but the graph expects {expected.TfName()}.");
            var raw = reader.ReadRaw(name);
            var output = ctx.Output(i, dtype, entry.Shape.Select(d => checked((int)d)).ToArray());
            raw.CopyTo(output.RawBytes);
        }
    }

    public static Operation Create(Tensor prefix, IReadOnlyList<string> names, IReadOnlyList<DType> dtypes, string name = "RestoreV2")
    {
        var graph = prefix.Graph;
        using var scope = graph.NameScope(name);
        var namesTensor = ConstOp.Create(SaveV2Op.Strings(names), "tensor_names", graph);
        var slicesTensor = ConstOp.Create(SaveV2Op.Strings(names.Select(_ => "").ToList()), "shape_and_slices", graph);
        return OpBuilder.Create(graph, "RestoreV2", scope.ScopeName, [prefix, namesTensor, slicesTensor],
            ("dtypes", Attr.TypeList(dtypes)));
    }
}
