using System.Diagnostics;
using TfMnist.Export;
using TfMnist.Runtime;
using TfMnist.Tests.Export;

namespace TfMnist.Tests.Differential;

/// <summary>
/// ONNX Runtime as a second, independent oracle: seeded random MLP-shaped graphs (<see cref="MlpGraphGenerator"/>)
/// exported to ONNX and run by ONNX Runtime, against our reference executor on the same weights and inputs.
/// TFMNIST_FUZZ_SEED picks the seed as for the rest of the suite; TFMNIST_ONNX_CASES the number of graphs.
/// </summary>
public class OnnxRuntimeOracleTests(ITestOutputHelper output)
{
    /// <summary>Per element, relative to the row's magnitude (max(1, largest |value|)): ONNX Runtime sums in its
    /// own order (and its own exp), through up to three layers of up to 64 terms; the largest error seen is about 2e-7.</summary>
    public const float Tolerance = Agreement.Tolerance;

    private static int Cases => int.TryParse(Environment.GetEnvironmentVariable("TFMNIST_ONNX_CASES"), out int n) ? n : 300;

    [Fact]
    public void RandomMlpGraphsGiveTheReferenceResultsInOnnxRuntime()
    {
        int seed = Campaign.Seed;
        var clock = Stopwatch.StartNew();
        double worst = 0;
        int nodes = 0, folded = 0;
        var opsets = new SortedDictionary<long, int>();
        for (int i = 0; i < Cases; i++)
        {
            var mlp = MlpGraphGenerator.Generate(seed, i);
            string where = $"ONNX ORACLE FAILURE: seed {seed}, case {i} (rerun: TFMNIST_FUZZ_SEED={seed} TFMNIST_ONNX_CASES={i + 1})";
            try
            {
                using var session = new Session(mlp.Graph, SessionOptions.Reference);
                session.Run([mlp.Init]);
                var model = OnnxExporter.Export(session, mlp.Input, mlp.Output, mlp.ConstantFeeds);
                var feeds = mlp.ConstantFeeds.Append((mlp.Input, new Core.NDArray(Core.DType.Float, [mlp.Rows, mlp.Width], mlp.Images))).ToArray();
                var ours = session.Run(mlp.Output, feeds)!;
                using var ort = new OrtRunner(model);
                var theirs = ort.Run(mlp.Images, mlp.Rows, mlp.Width);
                var result = Agreement.Compare(ours.Floats, theirs, ours.Shape[^1]);
                worst = Math.Max(worst, result.MaxRelativeError);
                nodes += model.Graph.Node.Count;
                folded += mlp.Graph.Operations.Count;
                opsets[model.OpsetImport[0].Version] = opsets.GetValueOrDefault(model.OpsetImport[0].Version) + 1;
                Assert.True(result.MaxRelativeError <= Tolerance, $"{result}");
                Assert.DoesNotContain(model.Graph.Node, n => n.Name.Contains("dropout/", StringComparison.Ordinal));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Assert.Fail($"{where}{Environment.NewLine}{e.Message}{Environment.NewLine}graph:{Environment.NewLine}{mlp.Listing()}");
            }
        }
        string summary = $"onnx oracle: seed {seed}, {Cases} graphs, {clock.Elapsed.TotalSeconds:F1} s, max relative error {worst:E2} " +
                         $"(tolerance {Tolerance:E0}), {folded} TF ops -> {nodes} ONNX nodes, opsets {string.Join(", ", opsets.Select(o => $"{o.Key}: {o.Value}"))}";
        output.WriteLine(summary);
        Console.Error.WriteLine(summary);
    }

    [Fact]
    public void TheGeneratorCoversWhatTheExporterMapsAndFolds()
    {
        var graphs = Enumerable.Range(0, Cases).Select(i => MlpGraphGenerator.Generate(Campaign.Seed, i)).ToList();
        bool Any(Func<MlpGraph, Framework.Operation, bool> pattern) => graphs.Any(g => g.Graph.Operations.Any(op => pattern(g, op)));
        foreach (string type in new[] { "Round", "Reshape", "BiasAdd", "Relu", "StopGradient", "Softmax", "LogSoftmax", "Maximum", "Sub", "RealDiv", "VariableV2" })
            Assert.True(Any((_, op) => op.Type == type), type);
        Assert.True(Any((_, op) => op.Type == "MatMul" && op.Attrs.GetBool("transpose_b", false)), "MatMul transpose_b");
        Assert.True(Any((g, op) => op.Type == "RandomUniform" && g.ConstantFeeds.Length > 0), "dropout with a fed keep_prob");
        Assert.True(Any((_, op) => op.Name.StartsWith("dropout") && op.Type == "Floor" && op.Inputs[0].Op.Inputs[0].Op.Type == "Const"), "dropout with a constant keep_prob");
        static bool IsWeights(Framework.Operation op) => op.Type == "Const" || op.Type == "Identity" && op.Inputs[0].Op.Type == "VariableV2";
        Assert.True(Any((_, op) => op.Type == "RandomUniform" && op.Inputs[0].Op.Type == "Shape" && IsWeights(op.Inputs[0].Op.Inputs[0].Op)),
            "dropout over the weights");
    }

    [Fact]
    public void ASampleOfRandomGraphsPassesOnnxsFullCheck()
    {
        string dir = Directory.CreateTempSubdirectory("tfmnist-onnx-oracle-").FullName;
        try
        {
            var files = new List<string>();
            for (int i = 0; i < 40; i++)
            {
                var mlp = MlpGraphGenerator.Generate(Campaign.Seed, i);
                using var session = new Session(mlp.Graph, SessionOptions.Reference);
                session.Run([mlp.Init]);
                string file = Path.Combine(dir, $"case{i}.onnx");
                OnnxExporter.WriteFile(file, OnnxExporter.Export(session, mlp.Input, mlp.Output, mlp.ConstantFeeds));
                files.Add(file);
            }
            var (code, stdout, stderr) = PythonOnnx.Run("""
                import sys, onnx
                for path in sys.argv[1:]:
                    onnx.checker.check_model(onnx.load(path), full_check=True)
                print(len(sys.argv) - 1)
                """, [.. files]);
            Assert.True(code == 0, stderr);
            Assert.Equal("40", stdout.Trim());
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
