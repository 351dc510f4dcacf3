using Google.Protobuf;
using TfMnist.Proto;

namespace TfMnist.Core;

/// <summary>Builds and reads NodeDef attr values (kept in TensorFlow's own AttrValue form).</summary>
public static class Attr
{
    public static AttrValue Type(DType t) => new() { Type = t.ToProto() };
    public static AttrValue Int(long i) => new() { I = i };
    public static AttrValue Float(float f) => new() { F = f };
    public static AttrValue Bool(bool b) => new() { B = b };
    public static AttrValue String(string s) => new() { S = ByteString.CopyFromUtf8(s) };
    public static AttrValue Shape(Shape shape) => new() { Shape = shape.ToProto() };
    public static AttrValue Tensor(NDArray value) => new() { Tensor = TensorProtos.ToProto(value) };

    public static AttrValue StringList(IEnumerable<string> values)
    {
        var list = new AttrValue.Types.ListValue();
        list.S.AddRange(values.Select(ByteString.CopyFromUtf8));
        return new AttrValue { List = list };
    }

    public static AttrValue TypeList(IEnumerable<DType> values)
    {
        var list = new AttrValue.Types.ListValue();
        list.Type.AddRange(values.Select(v => v.ToProto()));
        return new AttrValue { List = list };
    }

    public static AttrValue IntList(IEnumerable<long> values)
    {
        var list = new AttrValue.Types.ListValue();
        list.I.AddRange(values);
        return new AttrValue { List = list };
    }
}

/// <summary>An operation's attrs: the NodeDef map, with typed getters that name the node on error.</summary>
public sealed class AttrMap
{
    private readonly SortedDictionary<string, AttrValue> _values = new(StringComparer.Ordinal);
    private readonly string _owner;

    internal AttrMap(string owner, IEnumerable<KeyValuePair<string, AttrValue>>? values)
    {
        _owner = owner;
        if (values is null) return;
        foreach (var (k, v) in values) _values[k] = v;
    }

    public IReadOnlyDictionary<string, AttrValue> Values => _values;
    public bool Contains(string name) => _values.ContainsKey(name);
    internal void Set(string name, AttrValue value) => _values[name] = value;

    public AttrValue Get(string name) =>
        _values.TryGetValue(name, out var v)
            ? v
            : throw new InvalidOperationException($"Operation '{_owner}' has no attr named '{name}'.");

    public DType GetType(string name) => DTypeExtensions.FromProto(Get(name).Type);
    public long GetInt(string name) => Get(name).I;
    public float GetFloat(string name) => Get(name).F;
    public bool GetBool(string name) => Get(name).B;
    public string GetString(string name) => Get(name).S.ToStringUtf8();
    public Shape GetShape(string name) => Shape.FromProto(Get(name).Shape);
    public TensorProto GetTensor(string name) => Get(name).Tensor;

    public bool GetBool(string name, bool fallback) => _values.TryGetValue(name, out var v) ? v.B : fallback;
    public long GetInt(string name, long fallback) => _values.TryGetValue(name, out var v) ? v.I : fallback;
}
