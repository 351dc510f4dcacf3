namespace TfMnist.Tests.Architecture;

/// <summary>The engine's folders depend on each other only downwards (docs/ARCHITECTURE.md).</summary>
public class LayerTests
{
    [Fact]
    public void NoSourceFileOfTheEngine_NamesALayerAboveItsOwn()
    {
        var files = SourceTree.Files("Shared", ".cs").Select(f => (SourceTree.Relative(f), File.ReadAllText(f))).ToList();
        Assert.True(files.Count > 100, $"only {files.Count} source files found under Shared/");
        var violations = LayerRules.Check(files);
        Assert.True(violations.Count == 0, "Upward references:\n" + string.Join('\n', violations));
    }

    [Fact]
    public void AnUpwardUsing_IsReportedWithItsFileAndLine()
    {
        var files = new List<(string, string)>
        {
            ("Shared/Kernels/Fast.cs", "using TfMnist.Core;\nusing TfMnist.Runtime;\n\nnamespace TfMnist.Kernels;\n\ninternal static class Fast { }\n"),
            ("Shared/Runtime/Session.cs", "namespace TfMnist.Runtime;\n\npublic sealed class Session { }\n"),
        };
        var violation = Assert.Single(LayerRules.Check(files));
        Assert.Equal(("Shared/Kernels/Fast.cs", 2, "Kernels", "Runtime"), (violation.File, violation.Line, violation.From, violation.To));
    }

    [Fact]
    public void QualifiedNamesAndCrefs_CountAsReferences_ButOtherDottedNamesDoNot()
    {
        var files = new List<(string, string)>
        {
            ("Shared/Core/A.cs", "namespace TfMnist.Core;\n\n/// <see cref=\"Runtime.Session\"/>\npublic static class A\n{\n    static object B() => TfMnist.Ops.Thing.Make();\n    static int C(int[] Ops) => Ops.Length; // Runtime.Session in prose\n}\n"),
            ("Shared/Runtime/Session.cs", "namespace TfMnist.Runtime;\n\npublic sealed class Session { }\n"),
            ("Shared/Ops/Thing.cs", "namespace TfMnist.Ops;\n\npublic static class Thing { }\n"),
        };
        var violations = LayerRules.Check(files);
        Assert.Equal([(3, "Runtime"), (6, "Ops")], violations.Select(v => (v.Line, v.To)));
    }

    [Fact]
    public void TheAllowedGraph_HasNoCycle()
    {
        var state = new Dictionary<string, int>();
        void Visit(string ns, Stack<string> path)
        {
            if (state.GetValueOrDefault(ns) == 2) return;
            Assert.True(state.GetValueOrDefault(ns) != 1, "cycle: " + string.Join(" -> ", path.Reverse().Append(ns)));
            state[ns] = 1;
            path.Push(ns);
            foreach (var next in LayerRules.MayUse[ns]) Visit(next, path);
            path.Pop();
            state[ns] = 2;
        }
        foreach (var ns in LayerRules.MayUse.Keys) Visit(ns, new Stack<string>());
    }
}
