using System.Globalization;

namespace TfMnist.Predictor.Inspect;

/// <summary>How the inspect tables spell numbers, shapes and sizes: short, invariant, never locale-dependent.</summary>
internal static class TextFormat
{
    /// <summary>Five significant digits (<c>0.041234</c>, <c>1.5e-07</c>); <c>-</c> when absent.</summary>
    public static string Number(double? value) =>
        value is { } v ? v.ToString("G5", CultureInfo.InvariantCulture).Replace('E', 'e') : "-";

    public static string Integer(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary><c>[?, 784]</c>; <c>[]</c> for a scalar; <c>?</c> for an unknown rank.</summary>
    public static string Shape(IReadOnlyList<long>? shape) =>
        shape is null ? "?" : "[" + string.Join(", ", shape.Select(d => d < 0 ? "?" : Integer(d))) + "]";

    /// <summary><c>176.9 MB</c>, <c>28.4 KB</c>, <c>512 B</c> (powers of 1000, as ls -h --si).</summary>
    public static string Bytes(long bytes) => bytes switch
    {
        >= 1_000_000 => (bytes / 1e6).ToString("0.0", CultureInfo.InvariantCulture) + " MB",
        >= 1_000 => (bytes / 1e3).ToString("0.0", CultureInfo.InvariantCulture) + " KB",
        _ => Integer(bytes) + " B",
    };

    /// <summary>At most <paramref name="limit"/> names, then how many more (the JSON lists all).</summary>
    public static IEnumerable<string> Capped(IReadOnlyList<string> names, int limit = 20) =>
        names.Count <= limit ? names : names.Take(limit).Append($"... and {names.Count - limit} more (--json lists all)");
}
