using System.Text.RegularExpressions;

namespace TfMnist.Tests.Architecture;

/// <summary>The repository's source files as text: where they are, and what namespaces they declare and name.</summary>
internal static partial class SourceTree
{
    /// <summary>The folder holding TfMnist.sln, found above the test binaries.</summary>
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "TfMnist.sln"))) return dir.FullName;
        throw new InvalidOperationException($"TfMnist.sln not found above {AppContext.BaseDirectory}.");
    }

    /// <summary>Source files under <paramref name="folder"/> (relative to the root) with the given extensions,
    /// leaving out build output.</summary>
    public static IEnumerable<string> Files(string folder, params string[] extensions) =>
        Directory.EnumerateFiles(Path.Combine(Root, folder), "*", SearchOption.AllDirectories)
            .Where(f => extensions.Contains(Path.GetExtension(f)))
            .Where(f => !Path.GetRelativePath(Root, f).Split(Path.DirectorySeparatorChar).Any(p => p is "bin" or "obj" or "node_modules"))
            .Order(StringComparer.Ordinal);

    public static string Relative(string path) => Path.GetRelativePath(Root, path);

    [GeneratedRegex(@"^namespace\s+([\w.]+)\s*;", RegexOptions.Multiline)]
    public static partial Regex NamespaceDeclaration();

    [GeneratedRegex(@"^\s*(?:global\s+)?using\s+(?:static\s+)?(?:\w+\s*=\s*)?((?:TfMnist|Tensorflow)(?:\.\w+)*)", RegexOptions.Multiline)]
    public static partial Regex UsingDirective();

    [GeneratedRegex(@"^(?:public|internal)\s+(?:(?:static|sealed|abstract|partial|readonly|unsafe|ref|record)\s+)*(?:class|struct|interface|enum|record|delegate)\s+(?:[\w<>\[\],?. ]+?\s+)?(\w+)", RegexOptions.Multiline)]
    public static partial Regex TypeDeclaration();
}
