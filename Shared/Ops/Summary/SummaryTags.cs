using System.Text;
using TfMnist.Core;

namespace TfMnist.Ops;

/// <summary>Reads just the tags of a serialized Summary (field 1: Value; inside it field 1: tag).</summary>
internal static class SummaryTags
{
    public static List<string> Read(ReadOnlySpan<byte> summary, string opName)
    {
        var tags = new List<string>();
        int pos = 0;
        while (pos < summary.Length)
        {
            ulong key = Varint(summary, ref pos, opName);
            if (key != ((1 << 3) | 2)) throw Malformed(opName);
            int length = checked((int)Varint(summary, ref pos, opName));
            if (length < 0 || pos + length > summary.Length) throw Malformed(opName);
            tags.Add(TagOf(summary.Slice(pos, length), opName));
            pos += length;
        }
        return tags;
    }

    private static string TagOf(ReadOnlySpan<byte> value, string opName)
    {
        int pos = 0;
        while (pos < value.Length)
        {
            ulong key = Varint(value, ref pos, opName);
            int wireType = (int)(key & 7);
            if (key >> 3 == 1 && wireType == 2)
            {
                int length = checked((int)Varint(value, ref pos, opName));
                if (pos + length > value.Length) throw Malformed(opName);
                return Encoding.UTF8.GetString(value.Slice(pos, length));
            }
            pos += wireType switch
            {
                0 => SkipVarint(value, pos, opName),
                1 => 8,
                5 => 4,
                2 => LengthPrefixed(value, ref pos, opName),
                _ => throw Malformed(opName),
            };
        }
        return "";
    }

    private static int LengthPrefixed(ReadOnlySpan<byte> data, ref int pos, string opName) =>
        checked((int)Varint(data, ref pos, opName));

    private static int SkipVarint(ReadOnlySpan<byte> data, int pos, string opName)
    {
        int start = pos;
        Varint(data, ref pos, opName);
        return pos - start;
    }

    private static ulong Varint(ReadOnlySpan<byte> data, ref int pos, string opName)
    {
        ulong result = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            if (pos >= data.Length) throw Malformed(opName);
            byte b = data[pos++];
            result |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80) return result;
        }
        throw Malformed(opName);
    }

    private static InvalidArgumentException Malformed(string opName) =>
        new($"An input of '{opName}' is not a serialized Summary.");
}
