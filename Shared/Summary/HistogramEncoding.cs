using TfMnist.IO;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using TfMnist.Proto;

namespace TfMnist.Summary;

/// <summary>
/// TF's EncodeToProto with zero buckets dropped, to a HistogramProto or straight to the bytes
/// of a one-value Summary: each non-empty bucket is (limit, count); a run of empty buckets
/// becomes one entry with the run's last limit and count 0 (TensorBoard relies on those zero
/// entries to know where a bucket starts). The bytes are the ones Google.Protobuf writes for
/// the same message, without building it: field order, omitted zero scalars, packed doubles.
/// </summary>
internal static class HistogramEncoding
{
    public readonly record struct Moments(double Min, double Max, double Num, double Sum, double SumSquares);

    /// <summary>
    /// Writes the entries into <paramref name="limits"/> and <paramref name="counts"/> (each at
    /// least as long as the bucket counts) and returns how many. Only buckets in
    /// [<paramref name="low"/>, <paramref name="high"/>] may be non-zero, so the runs outside
    /// are skipped without being read.
    /// </summary>
    public static int Entries(ReadOnlySpan<long> bucketCounts, int low, int high, Span<double> limits, Span<double> counts)
    {
        ReadOnlySpan<double> bucketLimits = HistogramBuckets.Limits;
        int n = bucketCounts.Length, entries = 0, i = 0;
        while (i < n)
        {
            double limit = bucketLimits[i];
            long count = bucketCounts[i++];
            if (count == 0)
            {
                if (i < low) i = low;
                if (i > high) i = n;
                while (i < n && bucketCounts[i] == 0) i = i + 1 > high ? n : i + 1;
                limit = bucketLimits[i - 1];
            }
            limits[entries] = limit;
            counts[entries++] = count;
        }
        return entries;
    }

    public static HistogramProto ToProto(Moments m, ReadOnlySpan<double> limits, ReadOnlySpan<double> counts)
    {
        var proto = new HistogramProto { Min = m.Min, Max = m.Max, Num = m.Num, Sum = m.Sum, SumSquares = m.SumSquares };
        proto.BucketLimit.Capacity = limits.Length;
        proto.Bucket.Capacity = counts.Length;
        foreach (double l in limits) proto.BucketLimit.Add(l);
        foreach (double c in counts) proto.Bucket.Add(c);
        return proto;
    }

    /// <summary>The serialized Summary { value { tag, histo } }.</summary>
    public static byte[] SummaryBytes(string tag, Moments m, ReadOnlySpan<double> limits, ReadOnlySpan<double> counts)
    {
        int tagBytes = Encoding.UTF8.GetByteCount(tag);
        int histo = 9 * NonZero(m) + Packed(limits.Length) + Packed(counts.Length);
        int value = (tagBytes == 0 ? 0 : 1 + Varint.Length((uint)tagBytes) + tagBytes) + 1 + Varint.Length((uint)histo) + histo;
        var bytes = new byte[1 + Varint.Length((uint)value) + value];
        Span<byte> s = bytes;
        int pos = 0;
        s[pos++] = 0x0A; // Summary.value = 1, length-delimited
        pos += Varint.Encode(s[pos..], (uint)value);
        if (tagBytes != 0)
        {
            s[pos++] = 0x0A; // Value.tag = 1
            pos += Varint.Encode(s[pos..], (uint)tagBytes);
            pos += Encoding.UTF8.GetBytes(tag, s[pos..]);
        }
        s[pos++] = 0x2A; // Value.histo = 5
        pos += Varint.Encode(s[pos..], (uint)histo);
        // HistogramProto fields 1-5 are doubles (wire type 1); proto3 leaves out zeros.
        pos += WriteDouble(s[pos..], 0x09, m.Min);
        pos += WriteDouble(s[pos..], 0x11, m.Max);
        pos += WriteDouble(s[pos..], 0x19, m.Num);
        pos += WriteDouble(s[pos..], 0x21, m.Sum);
        pos += WriteDouble(s[pos..], 0x29, m.SumSquares);
        pos += WritePacked(s[pos..], 0x32, limits); // bucket_limit = 6
        pos += WritePacked(s[pos..], 0x3A, counts); // bucket = 7
        if (pos != bytes.Length) throw new InvalidOperationException("Histogram summary size miscomputed.");
        return bytes;
    }

    private static int NonZero(Moments m) =>
        (m.Min != 0 ? 1 : 0) + (m.Max != 0 ? 1 : 0) + (m.Num != 0 ? 1 : 0) + (m.Sum != 0 ? 1 : 0) + (m.SumSquares != 0 ? 1 : 0);

    // An empty repeated field is left out; a packed one is tag, byte length, the doubles.
    private static int Packed(int count) => count == 0 ? 0 : 1 + Varint.Length((uint)(8 * count)) + 8 * count;

    private static int WriteDouble(Span<byte> s, byte key, double value)
    {
        // The same test as the generated code (value != 0), so -0.0 is left out like 0.0.
        if (value == 0) return 0;
        s[0] = key;
        BinaryPrimitives.WriteDoubleLittleEndian(s[1..], value);
        return 9;
    }

    private static int WritePacked(Span<byte> s, byte key, ReadOnlySpan<double> values)
    {
        if (values.IsEmpty) return 0;
        s[0] = key;
        int pos = 1 + Varint.Encode(s[1..], (uint)(8 * values.Length));
        if (BitConverter.IsLittleEndian)
        {
            MemoryMarshal.AsBytes(values).CopyTo(s[pos..]);
        }
        else
        {
            for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteDoubleLittleEndian(s[(pos + 8 * i)..], values[i]);
        }
        return pos + 8 * values.Length;
    }
}
