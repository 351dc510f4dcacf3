using System.Collections.Immutable;

namespace TfMnist.Core;

/// <summary>
/// A static shape as TensorFlow's graph knows it: unknown rank, or a list of dimensions where
/// -1 marks a dimension unknown until run time (printed "?").
/// </summary>
public sealed class Shape : IEquatable<Shape>
{
    public static readonly Shape Unknown = new((ImmutableArray<int>?)null);
    public static readonly Shape Scalar = new(ImmutableArray<int>.Empty);

    private readonly ImmutableArray<int>? _dims;

    private Shape(ImmutableArray<int>? dims) => _dims = dims;

    public Shape(params int[] dims)
    {
        foreach (int d in dims)
            if (d < -1) throw new ArgumentException($"Dimension {d} is invalid; use -1 for unknown.");
        _dims = ImmutableArray.Create(dims);
    }

    public static Shape Of(IEnumerable<long> dims) => new(dims.Select(d => checked((int)d)).ToArray());

    public bool IsKnownRank => _dims.HasValue;
    public int Rank => _dims?.Length ?? -1;
    public ImmutableArray<int> Dims => _dims ?? throw new InvalidOperationException("Shape has unknown rank.");
    public int this[int axis] => Dims[axis < 0 ? axis + Rank : axis];
    public bool IsFullyDefined => _dims is { } d && d.All(x => x >= 0);

    /// <summary>Number of elements, or -1 when not fully defined.</summary>
    public long NumElements
    {
        get
        {
            if (!IsFullyDefined) return -1;
            long n = 1;
            foreach (int d in Dims) n *= d;
            return n;
        }
    }

    public int[] ToArray() => Dims.ToArray();

    /// <summary>True when a value of shape <paramref name="other"/> could have this shape.</summary>
    public bool IsCompatibleWith(Shape other)
    {
        if (!IsKnownRank || !other.IsKnownRank) return true;
        if (Rank != other.Rank) return false;
        for (int i = 0; i < Rank; i++)
            if (Dims[i] >= 0 && other.Dims[i] >= 0 && Dims[i] != other.Dims[i]) return false;
        return true;
    }

    /// <summary>True when a concrete value of shape <paramref name="dims"/> fits this static shape.</summary>
    public bool IsCompatibleWith(ReadOnlySpan<int> dims)
    {
        if (!IsKnownRank) return true;
        if (Rank != dims.Length) return false;
        for (int i = 0; i < dims.Length; i++)
            if (Dims[i] >= 0 && Dims[i] != dims[i]) return false;
        return true;
    }

    /// <summary>Combines the knowledge of two compatible shapes (TF's merge_with).</summary>
    public Shape MergeWith(Shape other)
    {
        if (!IsKnownRank) return other;
        if (!other.IsKnownRank) return this;
        if (!IsCompatibleWith(other))
            throw new ArgumentException($"Shapes {this} and {other} are not compatible");
        var dims = new int[Rank];
        for (int i = 0; i < Rank; i++) dims[i] = Dims[i] >= 0 ? Dims[i] : other.Dims[i];
        return new Shape(dims);
    }

    public static Shape UnknownOfRank(int rank) => new(Enumerable.Repeat(-1, rank).ToArray());

    public bool Equals(Shape? other) =>
        other is not null && IsKnownRank == other.IsKnownRank &&
        (!IsKnownRank || Dims.SequenceEqual(other.Dims));

    public override bool Equals(object? obj) => Equals(obj as Shape);

    public override int GetHashCode()
    {
        if (!IsKnownRank) return -1;
        var hash = new HashCode();
        foreach (int d in Dims) hash.Add(d);
        return hash.ToHashCode();
    }

    /// <summary>TensorFlow's own rendering: "(?, 784)", "()", "&lt;unknown&gt;".</summary>
    public override string ToString()
    {
        if (!IsKnownRank) return "<unknown>";
        if (Rank == 1) return $"({Fmt(Dims[0])},)";
        return "(" + string.Join(", ", Dims.Select(Fmt)) + ")";
        static string Fmt(int d) => d < 0 ? "?" : d.ToString();
    }

    public Proto.TensorShapeProto ToProto()
    {
        var proto = new Proto.TensorShapeProto();
        if (!IsKnownRank) { proto.UnknownRank = true; return proto; }
        foreach (int d in Dims) proto.Dim.Add(new Proto.TensorShapeProto.Types.Dim { Size = d });
        return proto;
    }

    public static Shape FromProto(Proto.TensorShapeProto? proto)
    {
        if (proto is null) return Scalar;
        if (proto.UnknownRank) return Unknown;
        return new Shape(proto.Dim.Select(d => d.Size < 0 ? -1 : checked((int)d.Size)).ToArray());
    }

    public static implicit operator Shape(int[] dims) => new(dims);
}
