using Microsoft.ML.OnnxRuntime;
using TfMnist.Core;
using TfMnist.Export;

namespace TfMnist.Bench;

/// <summary>
/// Our engine against ONNX Runtime on the same model (the original network, exported with
/// <see cref="OnnxExporter"/>): the whole test set (10000x784 -> 10 logits) and one image, alternating
/// ours and ONNX Runtime's in rounds, medians and the ratio ours / ONNX Runtime (above 1: we are slower).
/// Both with their defaults: our session (fusion, parallel plans) through a callable; ONNX Runtime with all
/// graph optimizations, its default thread pool and preallocated input and output values.
/// </summary>
internal static class OnnxBench
{
    public static void Run(string dataDir, int samples, int rounds)
    {
        using var harness = new NetworkHarness(dataDir);
        var net = harness.Net;
        var model = OnnxExporter.Export(harness.Session, net.InputData, net.Logits, [(net.KeepProb!, 1f)]);
        using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        using var ort = new InferenceSession(Google.Protobuf.MessageExtensions.ToByteArray(model), options);
        var ours = harness.Session.MakeCallable([net.Logits], [net.InputData, net.KeepProb!]);

        var test = harness.Data.Test;
        int n = test.NumExamples;
        var oneImage = test.Images.AsSpan(0, 784).ToArray();
        var testBatch = new NDArray(DType.Float, [n, 784], test.Images);
        var oneBatch = new NDArray(DType.Float, [1, 784], oneImage);
        NDArray keep = 1f;
        using var runOptions = new RunOptions();
        using var testInput = OrtValue.CreateTensorValueFromMemory(test.Images, [n, 784]);
        using var testOutput = OrtValue.CreateTensorValueFromMemory(new float[n * 10], [n, 10]);
        using var oneInput = OrtValue.CreateTensorValueFromMemory(oneImage, [1, 784]);
        using var oneOutput = OrtValue.CreateTensorValueFromMemory(new float[10], [1, 10]);
        string[] inputNames = [net.InputData.name], outputNames = [net.Logits.name];

        // The same answers first: a bench of a model that computes something else would mean nothing.
        var ourLogits = ours.Run(testBatch, keep)[0]!.Floats.ToArray();
        ort.Run(runOptions, inputNames, [testInput], outputNames, [testOutput]);
        var theirs = testOutput.GetTensorDataAsSpan<float>();
        double maxDiff = 0;
        for (int i = 0; i < ourLogits.Length; i++) maxDiff = Math.Max(maxDiff, Math.Abs(ourLogits[i] - theirs[i]));
        Console.WriteLine($"model: opset {model.OpsetImport[0].Version}, nodes {string.Join(" ", model.Graph.Node.Select(x => x.OpType))}; " +
                          $"max |ours - ORT| over the test-set logits {maxDiff:E2}; {Environment.ProcessorCount} cores");

        var passRatios = new List<double>();
        var oneRatios = new List<double>();
        var oursPass = new List<double>();
        var ortPass = new List<double>();
        var oursOne = new List<double>();
        var ortOne = new List<double>();
        int passSamples = Math.Max(5, samples / 10);
        for (int round = 1; round <= rounds; round++)
        {
            double a = Stats.Median(Stats.Sample(passSamples, () => ours.Run(testBatch, keep), warmup: 3));
            double b = Stats.Median(Stats.Sample(passSamples, () => ort.Run(runOptions, inputNames, [testInput], outputNames, [testOutput]), warmup: 3));
            double c = Stats.Median(Stats.Sample(samples * 10, () => ours.Run(oneBatch, keep), warmup: 200)) * 1000;
            double d = Stats.Median(Stats.Sample(samples * 10, () => ort.Run(runOptions, inputNames, [oneInput], outputNames, [oneOutput]), warmup: 200)) * 1000;
            oursPass.Add(a);
            ortPass.Add(b);
            oursOne.Add(c);
            ortOne.Add(d);
            passRatios.Add(a / b);
            oneRatios.Add(c / d);
            Console.WriteLine($"round {round}: test pass ours {a:F2} ms, ONNX Runtime {b:F2} ms (ratio {a / b:F2}); " +
                              $"one image ours {c:F1} µs, ONNX Runtime {d:F1} µs (ratio {c / d:F2})");
        }
        Console.WriteLine($"ONNX test_pass_ours_median_ms={Stats.Median(oursPass):F2} test_pass_ort_median_ms={Stats.Median(ortPass):F2} " +
                          $"ratio_ours_over_ort={Stats.Median(passRatios):F2}");
        Console.WriteLine($"ONNX one_image_ours_median_us={Stats.Median(oursOne):F1} one_image_ort_median_us={Stats.Median(ortOne):F1} " +
                          $"ratio_ours_over_ort={Stats.Median(oneRatios):F2}");
    }
}
