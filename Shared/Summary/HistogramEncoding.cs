using Google.Protobuf;
using TfMnist.Proto;

namespace TfMnist.Summary;

/// <summary>
/// TF's EncodeToProto with zero buckets dropped, to a HistogramProto or straight to the bytes
/// of a one-value Summary: each non-empty bucket is (limit, count); a run of empty buckets
/// becomes one entry with the run's last limit and count 0 (TensorBoard relies on those zero
/// entries to know where a bucket starts). The Summary bytes are written through Google.Protobuf's
/// CodedOutputStream without building the message: field order, omitted zero scalars, packed doubles.
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

    /// <summary>
    /// The serialized Summary { value { tag, histo } }, written field by field through
    /// <paramref name="writer"/>'s CodedOutputStream in the generated code's order (proto3
    /// zeros left out, repeated doubles packed); only the returned array is allocated.
    /// </summary>
    public static byte[] SummaryBytes(CodedArrayWriter writer, string tag, Moments m, ReadOnlySpan<double> limits, ReadOnlySpan<double> counts)
    {
        int histo = DoubleSize(m.Min) + DoubleSize(m.Max) + DoubleSize(m.Num) + DoubleSize(m.Sum) + DoubleSize(m.SumSquares)
            + PackedSize(ValueBucketLimit, limits.Length) + PackedSize(ValueBucket, counts.Length);
        int value = (tag.Length == 0 ? 0 : CodedOutputStream.ComputeTagSize(ValueTag) + CodedOutputStream.ComputeStringSize(tag))
            + CodedOutputStream.ComputeTagSize(ValueHisto) + CodedOutputStream.ComputeLengthSize(histo) + histo;
        var bytes = new byte[CodedOutputStream.ComputeTagSize(SummaryValue) + CodedOutputStream.ComputeLengthSize(value) + value];
        var output = writer.Start(bytes);
        output.WriteTag(SummaryValue, WireFormat.WireType.LengthDelimited);
        output.WriteLength(value);
        if (tag.Length != 0)
        {
            output.WriteTag(ValueTag, WireFormat.WireType.LengthDelimited);
            output.WriteString(tag);
        }
        output.WriteTag(ValueHisto, WireFormat.WireType.LengthDelimited);
        output.WriteLength(histo);
        WriteDouble(output, HistoMin, m.Min);
        WriteDouble(output, HistoMax, m.Max);
        WriteDouble(output, HistoNum, m.Num);
        WriteDouble(output, HistoSum, m.Sum);
        WriteDouble(output, HistoSumSquares, m.SumSquares);
        WritePacked(output, ValueBucketLimit, limits);
        WritePacked(output, ValueBucket, counts);
        writer.Finish(bytes.Length);
        return bytes;
    }

    // Field numbers: Summary.value; Summary.Value.tag, .histo; HistogramProto's fields.
    private const int SummaryValue = 1, ValueTag = 1, ValueHisto = 5;
    private const int HistoMin = 1, HistoMax = 2, HistoNum = 3, HistoSum = 4, HistoSumSquares = 5, ValueBucketLimit = 6, ValueBucket = 7;

    // The same test as the generated code (value != 0), so -0.0 is left out like 0.0.
    private static int DoubleSize(double value) =>
        value == 0 ? 0 : CodedOutputStream.ComputeTagSize(HistoMin) + CodedOutputStream.ComputeDoubleSize(value);

    // An empty repeated field is left out; a packed one is tag, byte length, the doubles.
    private static int PackedSize(int field, int count) => count == 0 ? 0
        : CodedOutputStream.ComputeTagSize(field) + CodedOutputStream.ComputeLengthSize(8 * count) + 8 * count;

    private static void WriteDouble(CodedOutputStream output, int field, double value)
    {
        if (value == 0) return;
        output.WriteTag(field, WireFormat.WireType.Fixed64);
        output.WriteDouble(value);
    }

    private static void WritePacked(CodedOutputStream output, int field, ReadOnlySpan<double> values)
    {
        if (values.IsEmpty) return;
        output.WriteTag(field, WireFormat.WireType.LengthDelimited);
        output.WriteLength(8 * values.Length);
        foreach (double v in values) output.WriteDouble(v);
    }
}
