using TfMnist.Cli;
using TfMnist.Predictor.Cli;

namespace TfMnist.EndToEnd.Commands;

/// <summary>
/// Each Predictor command declares the options it takes: the model options on the commands that load
/// a model, eval's data options on eval, serve's address on serve; only --verbose is global.
/// </summary>
public class OptionScopeTests
{
    private static readonly string[] ModelOptionNames = ["--model", "--input", "--output", "--keep-prob", "--feed"];

    private static async Task<(int Exit, string Out, string Err)> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var cli = new PredictorCli(_ => throw new InvalidOperationException("no command here loads a model"), stdout, stderr);
        int exit = await cli.RunAsync(args, TestContext.Current.CancellationToken);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    /// <summary>The option names in the Options section of a help text (e.g. "--model" from "  --model &lt;DIR&gt;  ...").</summary>
    private static async Task<HashSet<string>> HelpOptionsAsync(params string[] command)
    {
        var (exit, stdout, stderr) = await RunAsync([.. command, "--help"]);
        Assert.Equal(0, exit);
        Assert.Equal("", stderr);
        string[] lines = stdout.Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        int start = Array.IndexOf(lines, "Options:");
        Assert.True(start >= 0, $"no Options section in:\n{stdout}");
        return lines.Skip(start + 1).TakeWhile(l => l.StartsWith("  ", StringComparison.Ordinal))
            .SelectMany(l => l.Trim().Split("  ")[0].Split(", "))
            .Select(name => name.Split(' ')[0])
            .ToHashSet();
    }

    [Theory]
    [InlineData("predict")]
    [InlineData("eval")]
    [InlineData("serve")]
    public async Task TheCommandsThatLoadAModel_ListTheModelOptions(string command)
    {
        var options = await HelpOptionsAsync(command);
        Assert.Superset(ModelOptionNames.ToHashSet(), options);
        Assert.Contains("--verbose", options);
    }

    [Theory]
    [InlineData("inspect")]
    [InlineData("inspect", "checkpoint")]
    [InlineData("inspect", "events")]
    [InlineData("inspect", "graph")]
    [InlineData("inspect", "diff")]
    public async Task Inspect_LoadsNoModel_SoListsNoModelOption(params string[] command)
    {
        var options = await HelpOptionsAsync(command);
        foreach (string option in ModelOptionNames)
            Assert.DoesNotContain(option, options);
        Assert.Contains("--verbose", options);
        if (command.Length == 2) Assert.Contains("--json", options);
    }

    [Fact]
    public async Task TheRootsHelp_ListsNoModelOption_OnlyTheGlobalOnes()
    {
        var options = await HelpOptionsAsync();
        foreach (string option in ModelOptionNames)
            Assert.DoesNotContain(option, options);
        string[] global = ["-?", "-h", "--help", "--version", "--verbose"];
        Assert.True(options.SetEquals(global), string.Join(' ', options));
    }

    [Fact]
    public async Task CommandOptions_AreListedOnlyByTheirCommand()
    {
        var predict = await HelpOptionsAsync("predict");
        var eval = await HelpOptionsAsync("eval");
        var serve = await HelpOptionsAsync("serve");
        Assert.Superset(new HashSet<string> { "--data-dir", "--max-images" }, eval);
        Assert.Superset(new HashSet<string> { "--port", "--host" }, serve);
        foreach (string option in new[] { "--data-dir", "--max-images", "--port", "--host" })
            Assert.Equal(1, new[] { predict, eval, serve }.Count(o => o.Contains(option)));
    }

    [Fact]
    public async Task AModelOptionBeforeTheCommand_IsAOneLineUsageError()
    {
        var (exit, stdout, stderr) = await RunAsync("--model", "model", "eval");
        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Equal("", stdout);
        string line = Assert.Single(ConsoleProcess.Lines(stderr));
        Assert.StartsWith("error: ", line);
        Assert.Contains("--model", line);
    }
}
