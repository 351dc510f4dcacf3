#pragma warning disable IDE1006 // TensorFlow.NET's spellings.
using System.Collections;
using System.Runtime.CompilerServices;
using EngineShape = TfMnist.Core.Shape;

namespace Tensorflow;

/// <summary>
/// TensorFlow.NET's Shape: dimensions as longs, -1 for an unknown one, null dims for an unknown
/// rank. Converts implicitly from an int, int/long arrays and tuples, so `(-1, 784)` or `num_units`
/// can be passed where a shape is wanted.
/// </summary>
[CollectionBuilder(typeof(Shape), nameof(Create))]
public sealed class Shape : IEquatable<Shape>, IEnumerable<long>
{
    private readonly long[]? _dims;

    public Shape(params long[] dims) => _dims = (long[])dims.Clone();

    public Shape(params int[] dims) => _dims = dims.Select(d => (long)d).ToArray();

    private Shape(long[]? dims, bool _) => _dims = dims;

    /// <summary>A shape of unknown rank.</summary>
    public static Shape Null => new(null, false);

    /// <summary>The shape of a scalar.</summary>
    public static Shape Scalar => new(Array.Empty<long>(), false);

    /// <summary>A shape written as a collection expression: `shape: [784, 10]`.</summary>
    public static Shape Create(ReadOnlySpan<long> dims) => new(dims.ToArray());

    public IEnumerator<long> GetEnumerator() => ((IEnumerable<long>)dims).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public long[] dims => _dims ?? throw new ValueError("The shape has unknown rank.");

    /// <summary>The rank, or -1 when unknown.</summary>
    public int ndim => _dims?.Length ?? -1;

    public int rank => ndim;

    public bool IsNull => _dims is null;

    public bool IsFullyDefined => _dims is { } d && d.All(x => x >= 0);

    /// <summary>The number of elements, or -1 when a dimension is unknown.</summary>
    public long size => IsFullyDefined ? _dims!.Aggregate(1L, (a, b) => a * b) : -1;

    public long this[int axis] => dims[axis < 0 ? axis + ndim : axis];

    public long[] as_int_list() => dims;

    public int[] as_list() => dims.Select(d => checked((int)d)).ToArray();

    internal EngineShape ToEngine() => _dims is null ? EngineShape.Unknown : new EngineShape(as_list());

    internal static Shape FromEngine(EngineShape shape) =>
        shape.IsKnownRank ? new Shape(shape.ToArray()) : Null;

    public static implicit operator Shape(int dim) => new(dim);
    public static implicit operator Shape(long dim) => new(dim);
    public static implicit operator Shape(int[] dims) => new(dims);
    public static implicit operator Shape(long[] dims) => new(dims);
    public static implicit operator Shape((int, int) d) => new(d.Item1, d.Item2);
    public static implicit operator Shape((long, long) d) => new(d.Item1, d.Item2);
    public static implicit operator Shape((int, int, int) d) => new(d.Item1, d.Item2, d.Item3);
    public static implicit operator Shape((long, long, long) d) => new(d.Item1, d.Item2, d.Item3);
    public static implicit operator Shape((int, int, int, int) d) => new(d.Item1, d.Item2, d.Item3, d.Item4);
    public static implicit operator Shape((long, long, long, long) d) => new(d.Item1, d.Item2, d.Item3, d.Item4);
    public static implicit operator Shape(EngineShape shape) => FromEngine(shape);
    public static implicit operator int[](Shape shape) => shape.as_list();
    public static implicit operator long[](Shape shape) => shape.dims;

    public bool Equals(Shape? other) =>
        other is not null && (_dims is null ? other._dims is null : other._dims is not null && _dims.SequenceEqual(other._dims));

    public override bool Equals(object? obj) => Equals(obj as Shape);

    public override int GetHashCode() => _dims is null ? 0 : _dims.Aggregate(17, (h, d) => h * 31 + d.GetHashCode());

    /// <summary>As TF.NET prints it: "(-1, 784)", "()" for a scalar, "&lt;unknown&gt;" for an unknown rank.</summary>
    public override string ToString() => _dims is null ? "<unknown>" : $"({string.Join(", ", _dims)})";
}

/// <summary>TensorFlow.NET's Axis: one or more axes, from an int or an int array.</summary>
public sealed record Axis(params int[] axis)
{
    public int size => axis.Length;

    public int this[int index] => axis[index];

    public static implicit operator Axis(int axis) => new(axis);
    public static implicit operator Axis(int[] axis) => new(axis);
    public static implicit operator Axis((int, int) axis) => new(axis.Item1, axis.Item2);
    public static implicit operator int[](Axis axis) => axis.axis;

    public override string ToString() => axis.Length == 1 ? axis[0].ToString() : $"({string.Join(", ", axis)})";
}

/// <summary>
/// TensorFlow.NET's name for a shape before 0.60 (`new TensorShape(-1, 784)`), kept so programs of that
/// era compile: it converts to <see cref="Shape"/> wherever one is wanted.
/// </summary>
public sealed class TensorShape(params int[] dims)
{
    public Shape Shape { get; } = new(dims);

    public static implicit operator Shape(TensorShape shape) => shape.Shape;
}
