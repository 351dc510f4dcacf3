using TfMnist.Core;
using TfMnist.Proto;

namespace TfMnist.Framework;

/// <summary>
/// TF 1.x's colocation of ops created in a block: tf.colocate_with(op) (a stack; every op created inside gets
/// <c>_class</c> = the sorted colocation groups of the stack's ops and of its own colocation request) and the
/// attr scope tf.Variable opens around an initializer (a default <c>_class</c> for ops that ask for none).
/// Graphs built outside these blocks are unchanged.
/// </summary>
public sealed partial class Graph
{
    private const string ClassAttr = "_class";
    private readonly List<Operation> _colocationStack = new();
    private readonly List<string> _defaultClassStack = new();

    /// <summary>tf.colocate_with(op): ops created inside are placed with <paramref name="op"/>'s colocation groups.</summary>
    public IDisposable ColocateWith(Operation op)
    {
        _colocationStack.Add(op);
        return new Restore(() => _colocationStack.RemoveAt(_colocationStack.Count - 1));
    }

    /// <summary>
    /// The attr scope TF's Variable opens while building an initial value: ops created inside that ask for no
    /// colocation get <c>_class = ["loc:@<paramref name="opName"/>"]</c> (a colocation block still wins).
    /// </summary>
    public IDisposable DefaultColocation(string opName)
    {
        _defaultClassStack.Add("loc:@" + opName);
        return new Restore(() => _defaultClassStack.RemoveAt(_defaultClassStack.Count - 1));
    }

    /// <summary>An op's colocation groups: its <c>_class</c> "loc:@" entries, else "loc:@&lt;its name&gt;".</summary>
    public static IReadOnlyList<string> ColocationGroups(Operation op)
    {
        if (op.Attrs.Values.TryGetValue(ClassAttr, out var value))
        {
            var groups = value.List.S.Select(s => s.ToStringUtf8()).Where(s => s.StartsWith("loc:@", StringComparison.Ordinal)).ToList();
            if (groups.Count > 0) return groups;
        }
        return ["loc:@" + op.Name];
    }

    private IEnumerable<KeyValuePair<string, AttrValue>>? ApplyColocation(IEnumerable<KeyValuePair<string, AttrValue>>? attrs)
    {
        if (_colocationStack.Count == 0 && _defaultClassStack.Count == 0) return attrs;
        var list = attrs?.ToList() ?? new List<KeyValuePair<string, AttrValue>>();
        int own = list.FindIndex(a => a.Key == ClassAttr);
        if (_colocationStack.Count == 0)
        {
            if (own < 0) list.Insert(0, KeyValuePair.Create(ClassAttr, Attr.StringList([_defaultClassStack[^1]])));
            return list;
        }
        var groups = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var op in _colocationStack) groups.UnionWith(ColocationGroups(op));
        if (own >= 0)
        {
            // A colocation the op asks for itself (a reference input's variable) joins with that op's groups.
            foreach (var s in list[own].Value.List.S.Select(s => s.ToStringUtf8()))
                if (s.StartsWith("loc:@", StringComparison.Ordinal) && _byName.TryGetValue(s[5..], out var target))
                    groups.UnionWith(ColocationGroups(target));
                else groups.Add(s);
            list.RemoveAt(own);
        }
        list.Insert(0, KeyValuePair.Create(ClassAttr, Attr.StringList(groups)));
        return list;
    }
}
