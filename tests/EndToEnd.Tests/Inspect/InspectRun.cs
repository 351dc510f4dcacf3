using System.Text.Json;
using TfMnist.Predictor.Cli;

namespace TfMnist.EndToEnd.Inspect;

/// <summary>Runs <c>Predictor inspect ...</c> in-process, as the console does, and reads its output.</summary>
internal static class InspectRun
{
    public sealed record Result(int Exit, string Out, string Err)
    {
        /// <summary>The one JSON document a <c>--json</c> run printed.</summary>
        public JsonElement Json() => JsonDocument.Parse(Out).RootElement;

        public string[] Lines => Out.TrimEnd('\n').Split('\n');
    }

    public static async Task<Result> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var cli = new PredictorCli(_ => throw new InvalidOperationException("inspect loads no model"), stdout, stderr);
        int exit = await cli.RunAsync(args, TestContext.Current.CancellationToken);
        return new Result(exit, stdout.ToString(), stderr.ToString());
    }

    /// <summary>A folder of ../shared/tf-reference, or a skip (a failure under CI=true) when it is absent.</summary>
    public static string Reference(params string[] parts) =>
        RepoPaths.TfReference(parts) ?? Requirement.Missing<string>($"../shared/tf-reference/{string.Join('/', parts)} (files written by real TensorFlow) is not beside the repository.");

    public static IEnumerable<string> Strings(this JsonElement array) => array.EnumerateArray().Select(e => e.GetString()!);

    public static long[] Longs(this JsonElement array) => array.EnumerateArray().Select(e => e.GetInt64()).ToArray();

    /// <summary>
    /// Text output stays readable on an 80-column terminal; a path printed on a line of its own is
    /// the one the user typed (here a long absolute one) and is never cut.
    /// </summary>
    public static void AssertFitsIn80Columns(Result run)
    {
        var wide = run.Lines.Where(l => l.Length > 80 && !(l.Trim().StartsWith('/') && !l.Trim().Contains(' '))).ToList();
        Assert.True(wide.Count == 0, "lines over 80 columns:\n" + string.Join('\n', wide));
    }
}
