using TfMnist.Proto;
using TfMnist.Summary;

namespace TfMnist.Tests.Summary;

/// <summary>Slow, obviously-correct counterparts of the histogram code, for comparison.</summary>
internal static class HistogramOracle
{
    /// <summary>std::upper_bound by plain binary search over the limits.</summary>
    public static int UpperBound(ReadOnlySpan<double> limits, double value)
    {
        int lo = 0, hi = limits.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (limits[mid] > value) hi = mid;
            else lo = mid + 1;
        }
        return lo;
    }

    /// <summary>
    /// Expands an encoded histogram back to one count per default bucket. Throws if an entry's
    /// limit is not a default limit or limits do not increase, i.e. if the proto could not have
    /// come from TF's encoder over the default buckets.
    /// </summary>
    public static long[] DecodeCounts(HistogramProto proto)
    {
        ReadOnlySpan<double> limits = HistogramBuckets.Limits;
        var counts = new long[limits.Length];
        int previous = -1;
        for (int e = 0; e < proto.BucketLimit.Count; e++)
        {
            int index = limits.IndexOf(proto.BucketLimit[e]);
            if (index < 0) throw new InvalidDataException($"bucket_limit {proto.BucketLimit[e]:R} is not a default limit");
            if (index <= previous) throw new InvalidDataException($"bucket_limit {proto.BucketLimit[e]:R} does not increase");
            double count = proto.Bucket[e];
            if (count != Math.Floor(count) || count < 0) throw new InvalidDataException($"bucket count {count} is not a count");
            counts[index] = (long)count;
            previous = index;
        }
        return counts;
    }
}
