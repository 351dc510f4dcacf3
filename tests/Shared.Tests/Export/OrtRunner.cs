using Microsoft.ML.OnnxRuntime;
using TfMnist.Proto.Onnx;
using Google.Protobuf;

namespace TfMnist.Tests.Export;

/// <summary>ONNX Runtime as the second engine: loads an exported model and runs it on a float batch.</summary>
internal sealed class OrtRunner : IDisposable
{
    private readonly InferenceSession _session;

    public OrtRunner(ModelProto model, int threads = 1)
    {
        using var options = new SessionOptions { IntraOpNumThreads = threads, InterOpNumThreads = 1 };
        _session = new InferenceSession(model.ToByteArray(), options);
    }

    /// <summary>The model's single output for <paramref name="rows"/> x <paramref name="width"/> inputs, row-major.</summary>
    public float[] Run(float[] inputs, int rows, int width)
    {
        string inputName = _session.InputNames.Single(), outputName = _session.OutputNames.Single();
        using var input = OrtValue.CreateTensorValueFromMemory(inputs, [rows, width]);
        using var runOptions = new RunOptions();
        using var results = _session.Run(runOptions, [inputName], [input], [outputName]);
        return results[0].GetTensorDataAsSpan<float>().ToArray();
    }

    public void Dispose() => _session.Dispose();
}
