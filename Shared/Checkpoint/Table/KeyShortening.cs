namespace TfMnist.Checkpoint.Table;

/// <summary>
/// The bytewise comparator's key shortening that LevelDB (and TensorFlow's copy of it) applies
/// to index-block keys. Any key >= a block's last key and below the next block's first key
/// would do for lookups; reproducing LevelDB's exact choice makes our .index files byte-identical
/// to TensorFlow's (a single-block table's index key for "Variable_5" is "W").
/// </summary>
internal static class KeyShortening
{
    /// <summary>
    /// A short key k with start &lt;= k &lt; limit: the common prefix plus the first differing
    /// byte of <paramref name="start"/> incremented, when that stays below
    /// <paramref name="limit"/>; otherwise <paramref name="start"/> itself.
    /// </summary>
    public static byte[] ShortestSeparator(ReadOnlySpan<byte> start, ReadOnlySpan<byte> limit)
    {
        int diff = start.CommonPrefixLength(limit);
        if (diff < Math.Min(start.Length, limit.Length))
        {
            byte b = start[diff];
            if (b < 0xff && b + 1 < limit[diff])
            {
                byte[] shortened = start[..(diff + 1)].ToArray();
                shortened[diff]++;
                return shortened;
            }
        }
        // One key is a prefix of the other, or the bytes are adjacent: nothing shorter fits.
        return start.ToArray();
    }

    /// <summary>
    /// A short key >= <paramref name="key"/>: the prefix up to the first byte that is not 0xff,
    /// with that byte incremented; <paramref name="key"/> itself if every byte is 0xff.
    /// </summary>
    public static byte[] ShortSuccessor(ReadOnlySpan<byte> key)
    {
        for (int i = 0; i < key.Length; i++)
        {
            if (key[i] != 0xff)
            {
                byte[] successor = key[..(i + 1)].ToArray();
                successor[i]++;
                return successor;
            }
        }
        return key.ToArray();
    }
}
