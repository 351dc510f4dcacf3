namespace TfMnist.Tests.Architecture;

/// <summary>Small files with one purpose each: product code at most 300 lines a file, tests at most 500.</summary>
public class FileBudgetTests
{
    private const int ProductLines = 300, TestLines = 500;

    [Fact]
    public void ProductFiles_StayWithin300Lines()
    {
        var files = new[] { "Shared", "Trainer", "Predictor" }.SelectMany(d => SourceTree.Files(d, ".cs", ".js")).ToList();
        Assert.True(files.Count > 100, $"only {files.Count} product files found");
        AssertWithin(files, ProductLines);
    }

    [Fact]
    public void TestFiles_StayWithin500Lines() => AssertWithin(SourceTree.Files("tests", ".cs", ".js").ToList(), TestLines);

    private static void AssertWithin(List<string> files, int budget)
    {
        var over = files.Select(f => (File: SourceTree.Relative(f), Lines: File.ReadLines(f).Count())).Where(f => f.Lines > budget).ToList();
        Assert.True(over.Count == 0, $"over {budget} lines (split by purpose):\n" + string.Join('\n', over.Select(f => $"{f.File}: {f.Lines}")));
    }
}
