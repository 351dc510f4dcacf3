using System.Buffers.Binary;
using System.Formats.Tar;
using System.IO.Compression;

namespace TfMnist.Tests.Data;

/// <summary>
/// Builds small IDX files byte by byte (independently of the reader under test) so every test
/// knows exactly what each image and label should be. Image i carries its index in its first two
/// pixels (low byte, high byte), which lets batch tests tell examples apart.
/// </summary>
internal static class IdxFixtures
{
    public const int Side = 28;

    public static byte[] Images(int count, int rows = Side, int columns = Side, int magic = 2051)
    {
        var bytes = new byte[16 + count * rows * columns];
        BinaryPrimitives.WriteInt32BigEndian(bytes, magic);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4), count);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(8), rows);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(12), columns);
        for (int i = 0; i < count; i++)
        {
            var image = bytes.AsSpan(16 + i * rows * columns, rows * columns);
            for (int p = 0; p < image.Length; p++) image[p] = (byte)((i * 31 + p * 7) % 256);
            image[0] = (byte)(i & 0xff);
            image[1] = (byte)(i >> 8);
        }
        return bytes;
    }

    public static int ExampleIndexOf(ReadOnlySpan<float> image) =>
        (int)MathF.Round(image[0] * 255f) + 256 * (int)MathF.Round(image[1] * 255f);

    public static byte Label(int index) => (byte)((index * 3 + 1) % 10);

    public static byte[] Labels(int count, int magic = 2049)
    {
        var bytes = new byte[8 + count];
        BinaryPrimitives.WriteInt32BigEndian(bytes, magic);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4), count);
        for (int i = 0; i < count; i++) bytes[8 + i] = Label(i);
        return bytes;
    }

    public static byte[] Gzip(byte[] data)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true)) gzip.Write(data);
        return buffer.ToArray();
    }

    /// <summary>The four files of a small MNIST (train and test counts chosen by the test), by file name.</summary>
    public static Dictionary<string, byte[]> MiniMnist(int trainCount, int testCount, bool gzipped = true)
    {
        var raw = new Dictionary<string, byte[]>
        {
            ["train-images-idx3-ubyte"] = Images(trainCount),
            ["train-labels-idx1-ubyte"] = Labels(trainCount),
            ["t10k-images-idx3-ubyte"] = Images(testCount),
            ["t10k-labels-idx1-ubyte"] = Labels(testCount),
        };
        return gzipped
            ? raw.ToDictionary(kv => kv.Key + ".gz", kv => Gzip(kv.Value))
            : raw;
    }

    public static void WriteAll(string dir, Dictionary<string, byte[]> files)
    {
        foreach (var (name, bytes) in files) File.WriteAllBytes(Path.Combine(dir, name), bytes);
    }

    public static void WriteZip(string path, Dictionary<string, byte[]> files, string folder = "")
    {
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        foreach (var (name, bytes) in files)
        {
            using var entry = zip.CreateEntry(folder + name).Open();
            entry.Write(bytes);
        }
    }

    public static void WriteTarGz(string path, Dictionary<string, byte[]> files, string folder = "")
    {
        using var file = File.Create(path);
        using var gzip = new GZipStream(file, CompressionLevel.Fastest);
        using var tar = new TarWriter(gzip, TarEntryFormat.Pax);
        foreach (var (name, bytes) in files)
            tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, folder + name) { DataStream = new MemoryStream(bytes) });
    }
}

/// <summary>A fresh directory under the system temp folder, deleted with everything in it.</summary>
internal sealed class TempDir : IDisposable
{
    public TempDir() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "tfmnist-" + Guid.NewGuid().ToString("N"));

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public string[] Entries() => Directory.GetFileSystemEntries(Path).Select(System.IO.Path.GetFileName).ToArray()!;

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }
}
