using Google.Protobuf.Reflection;
using TfMnist.Export;
using TfMnist.Proto.Onnx;

namespace TfMnist.Tests.Export;

/// <summary>The ONNX project's own checker (python3-onnx 1.12) on exported files, and our .proto subset's
/// field numbers against the descriptors that package was generated from.</summary>
public class OnnxCheckerTests
{
    private const string CheckScript = """
        import sys, onnx
        model = onnx.load(sys.argv[1])
        onnx.checker.check_model(model, full_check=True)
        print("ok", model.ir_version, model.opset_import[0].version)
        """;

    [Fact]
    public void TheExportedNetworkPassesTheFullCheck()
    {
        using var model = new MnistModel();
        string path = Path.Combine(Path.GetTempPath(), $"tfmnist-check-{Guid.NewGuid():N}.onnx");
        try
        {
            OnnxExporter.WriteFile(path, model.Export());
            var (code, stdout, stderr) = PythonOnnx.Run(CheckScript, path);
            Assert.True(code == 0, $"onnx.checker.check_model(full_check=True) failed: {stderr}");
            Assert.Equal("ok 6 11", stdout.Trim());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void TheCheckerRejectsABrokenModel()
    {
        // The check above can fail: a node reading a value nothing defines is refused.
        using var model = new MnistModel();
        var broken = model.Export();
        broken.Graph.Node[0].Input[0] = "nowhere:0";
        string path = Path.Combine(Path.GetTempPath(), $"tfmnist-check-{Guid.NewGuid():N}.onnx");
        try
        {
            OnnxExporter.WriteFile(path, broken);
            var (code, _, stderr) = PythonOnnx.Run(CheckScript, path);
            Assert.NotEqual(0, code);
            Assert.Contains("nowhere:0", stderr);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void OurProtoSubsetHasOnnxsFieldNumbers()
    {
        MessageDescriptor[] ours =
        [
            ModelProto.Descriptor, OperatorSetIdProto.Descriptor, GraphProto.Descriptor, NodeProto.Descriptor, AttributeProto.Descriptor,
            ValueInfoProto.Descriptor, TypeProto.Descriptor, TypeProto.Types.Tensor.Descriptor, TensorShapeProto.Descriptor,
            TensorShapeProto.Types.Dimension.Descriptor, TensorProto.Descriptor, StringStringEntryProto.Descriptor,
        ];
        // python3-onnx prints "Message.field number" for every field of the same messages.
        var (code, stdout, stderr) = PythonOnnx.Run("""
            import sys
            from onnx import onnx_ml_pb2 as p
            for path in sys.argv[1:]:
                d = p
                for part in path.split("."):
                    d = getattr(d, part)
                for f in d.DESCRIPTOR.fields:
                    print(path, f.name, f.number)
            """, ours.Select(d => d.FullName["onnx.".Length..]).ToArray());
        Assert.True(code == 0, stderr);
        var theirs = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' '))
            .ToDictionary(p => (p[0], p[1]), p => int.Parse(p[2]));
        foreach (var message in ours)
            foreach (var field in message.Fields.InFieldNumberOrder())
            {
                string name = message.FullName["onnx.".Length..];
                Assert.True(theirs.TryGetValue((name, field.Name), out int number), $"{name}.{field.Name} is not in ONNX's schema");
                Assert.Equal((name, field.Name, number), (name, field.Name, field.FieldNumber));
            }
    }
}
