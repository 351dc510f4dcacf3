namespace TfMnist.Data;

/// <summary>
/// Finds the four MNIST IDX files in a data directory in whatever form the user left them:
/// gzipped as distributed, gunzipped, or inside a .zip / .tar / .tar.gz / .tgz archive.
/// </summary>
public static class MnistFileLocator
{
    private static readonly string[] ArchivePatterns = ["*.zip", "*.tar.gz", "*.tgz", "*.tar"];

    /// <summary>
    /// The names a base name may appear under, preferred first. Some unpackers (and Kaggle's copy)
    /// write "train-images.idx3-ubyte" with a dot, so that spelling is accepted too.
    /// </summary>
    public static IReadOnlyList<string> CandidateNames(string baseName)
    {
        string dotted = baseName.Replace("-idx", ".idx", StringComparison.Ordinal);
        return [baseName + ".gz", baseName, dotted + ".gz", dotted];
    }

    /// <summary>
    /// Locates each of <paramref name="baseNames"/>; names that cannot be found are absent from the
    /// result. Loose files win over archive entries; archives are searched in name order.
    /// </summary>
    public static IReadOnlyDictionary<string, IdxSource> Locate(string dir, IEnumerable<string> baseNames)
    {
        var found = new Dictionary<string, IdxSource>(StringComparer.Ordinal);
        var missing = new List<string>();
        foreach (string baseName in baseNames)
        {
            string? path = CandidateNames(baseName)
                .Select(name => Path.Combine(dir, name))
                .FirstOrDefault(File.Exists);
            if (path is null) missing.Add(baseName);
            else found[baseName] = new LooseIdxFile(path);
        }

        if (missing.Count > 0 && Directory.Exists(dir))
            SearchArchives(dir, missing, found);
        return found;
    }

    private static void SearchArchives(string dir, List<string> missing, Dictionary<string, IdxSource> found)
    {
        var archives = ArchivePatterns
            .SelectMany(pattern => Directory.EnumerateFiles(dir, pattern))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal);
        foreach (string archive in archives)
        {
            ArchivedIdxFile.ScanArchive(archive, (key, _) =>
            {
                // Entries may sit in a folder ("mnist/train-images-idx3-ubyte.gz"); only the file
                // name has to match, which also skips macOS "._name" resource-fork shadows.
                string fileName = key[(key.LastIndexOfAny(['/', '\\']) + 1)..];
                string? baseName = missing.FirstOrDefault(b => CandidateNames(b).Contains(fileName));
                if (baseName is not null)
                {
                    found[baseName] = new ArchivedIdxFile(archive, key);
                    missing.Remove(baseName);
                }
                return missing.Count > 0;
            });
            if (missing.Count == 0) return;
        }
    }
}
