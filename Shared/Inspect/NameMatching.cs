using System.Text.RegularExpressions;

namespace TfMnist.Inspect;

/// <summary>
/// Compares two sets of names (tags, nodes, tensors) and pairs the ones TensorFlow would have
/// given a different uniquifying suffix: <c>a/mean</c> against <c>a/mean_1</c>. The usual cause
/// is TF 1.9's change to uniquify names ignoring case: the op <c>Mean</c> takes <c>mean</c>, so
/// the summary <c>mean</c> made after it becomes <c>mean_1</c>, where TF 1.8 kept <c>mean</c>.
/// </summary>
public static partial class NameMatching
{
    /// <summary>The names only in <paramref name="a"/>, only in <paramref name="b"/>, renamed, and the naming differences among the rest.</summary>
    public static NameDiff Compare(IEnumerable<string> a, IEnumerable<string> b)
    {
        var setA = a.ToHashSet(StringComparer.Ordinal);
        var setB = b.ToHashSet(StringComparer.Ordinal);
        var onlyA = setA.Where(n => !setB.Contains(n)).Order(StringComparer.Ordinal).ToList();
        var onlyB = setB.Where(n => !setA.Contains(n)).Order(StringComparer.Ordinal).ToList();
        var renames = new List<Rename>();
        var unpairedB = onlyB.GroupBy(Unsuffixed, StringComparer.Ordinal).ToDictionary(g => g.Key, g => new Queue<string>(g), StringComparer.Ordinal);
        foreach (string name in onlyA.ToList())
        {
            if (!unpairedB.TryGetValue(Unsuffixed(name), out var queue) || queue.Count == 0) continue;
            string other = queue.Dequeue();
            renames.Add(new Rename(name, other, Reason(name, other)));
            onlyA.Remove(name);
            onlyB.Remove(other);
        }
        return new NameDiff(onlyA, onlyB, renames, NamingDifferences(onlyA, onlyB));
    }

    /// <summary>
    /// Among names left unpaired, those of A and B equal after their first part (the layer) up to
    /// suffixes, grouped by the part that differs: <c>mean_1</c> in A against <c>mean</c> in B.
    /// </summary>
    private static List<NamingDifference> NamingDifferences(List<string> onlyA, List<string> onlyB)
    {
        static string Rest(string name) => name[(name.IndexOf('/') + 1)..];
        // Only names with a layer: a top-level 'loss_1' and a scope's 'loss/loss' are not one name.
        var byKey = onlyB.Where(n => n.Contains('/')).GroupBy(n => Unsuffixed(Rest(n)), StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var groups = new Dictionary<(string A, string B), (int Count, string ExampleA, string ExampleB)>();
        foreach (string a in onlyA.Where(n => n.Contains('/')))
        {
            if (!byKey.TryGetValue(Unsuffixed(Rest(a)), out var matches)) continue;
            // Each differing part counts once per name of A, whichever of B's names shows it.
            foreach (var part in matches.Select(b => (Part: FirstDifference(Rest(a), Rest(b)), B: b)).Where(m => m.Part is not null).DistinctBy(m => m.Part))
            {
                var key = part.Part!.Value;
                groups[key] = groups.TryGetValue(key, out var g) ? (g.Count + 1, g.ExampleA, g.ExampleB) : (1, a, part.B);
            }
        }
        return groups.OrderByDescending(g => g.Value.Count).ThenBy(g => g.Key.A, StringComparer.Ordinal)
            .Select(g => new NamingDifference(g.Key.A, g.Key.B, g.Value.Count, g.Value.ExampleA, g.Value.ExampleB, Reason(g.Key.A, g.Key.B)))
            .ToList();
    }

    private static (string A, string B)? FirstDifference(string a, string b)
    {
        string[] pa = a.Split('/'), pb = b.Split('/');
        for (int i = 0; i < Math.Min(pa.Length, pb.Length); i++)
            if (pa[i] != pb[i]) return (pa[i], pb[i]);
        return null;
    }

    /// <summary>A name with each part's uniquifying suffix (<c>_1</c>, <c>_2</c>, ...) removed.</summary>
    public static string Unsuffixed(string name) => string.Join('/', name.Split('/').Select(p => Suffix().Replace(p, "")));

    /// <summary>Why two names that are equal up to suffixes differ, naming the first part that does.</summary>
    public static string Reason(string a, string b)
    {
        string[] pa = a.Split('/'), pb = b.Split('/');
        int i = 0;
        while (i < Math.Min(pa.Length, pb.Length) && pa[i] == pb[i]) i++;
        if (i == Math.Min(pa.Length, pb.Length)) return "same name up to TF's uniquifying suffixes";
        string x = pa[i], y = pb[i];
        bool aPlain = y == x + "_1", bPlain = x == y + "_1";
        string plain = aPlain ? x : y;
        if ((aPlain || bPlain) && plain.Length > 0 && char.IsLower(plain[0]))
        {
            string op = char.ToUpperInvariant(plain[0]) + plain[1..];
            var (older, newer) = aPlain ? ("A", "B") : ("B", "A");
            return $"'{plain}' in {older} (TF <= 1.8 naming) is '{plain}_1' in {newer} (TF >= 1.9 naming): since 1.9 TF makes names unique "
                + $"ignoring case, so an op '{op}' in the same scope takes '{plain}'; 1.8 compared case-sensitively";
        }
        return $"'{x}' and '{y}' differ only in TF's uniquifying suffix: the name was taken a different number of times when it was made";
    }

    [GeneratedRegex(@"_\d+$")]
    private static partial Regex Suffix();
}
