using System.Text;
using TfMnist.Checkpoint.Table;

namespace TfMnist.Tests.Checkpoint;

/// <summary>Builds tables in memory for the table tests.</summary>
internal static class TableTestData
{
    public static byte[] Build(IEnumerable<(byte[] Key, byte[] Value)> entries, int blockSize = 4096)
    {
        using var stream = new MemoryStream();
        var builder = new TableBuilder(stream, blockSize);
        foreach (var (key, value) in entries)
            builder.Add(key, value);
        builder.Finish();
        return stream.ToArray();
    }

    /// <summary>
    /// Sorted keys with long shared prefixes (so prefix compression matters) and values of
    /// varying length, some empty.
    /// </summary>
    public static List<(byte[] Key, byte[] Value)> Entries(int count)
    {
        var keys = Enumerable.Range(0, count)
            .Select(i => $"model/layer_{i % 7}/weights/slot_{i:D5}")
            .Order(StringComparer.Ordinal)
            .ToList();
        return keys.Select((k, i) => (Encoding.ASCII.GetBytes(k),
            Enumerable.Range(0, i % 23).Select(j => (byte)(i * 31 + j)).ToArray())).ToList();
    }
}
