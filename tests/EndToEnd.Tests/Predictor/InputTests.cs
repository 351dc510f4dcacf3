using System.IO.Compression;
using TfMnist.Predictor.Input;

namespace TfMnist.EndToEnd.Predictor;

public class ImagePreprocessingTests
{
    private static void AssertMnistShaped(float[] p, string because)
    {
        Assert.Equal(784, p.Length);
        Assert.All(p, v => Assert.InRange(v, 0f, 1f));
        var (x0, y0, x1, y1) = Digit28.InkBox(p);
        int w = x1 - x0 + 1, h = y1 - y0 + 1;
        Assert.True(Math.Max(w, h) is >= 19 and <= 20, $"{because}: longer side should fit 20x20, box is {w}x{h}\n{Digit28.Render(p)}");
        var (cx, cy) = Digit28.CenterOfMass(p);
        Assert.True(Math.Abs(cx - 14) <= 0.5 && Math.Abs(cy - 14) <= 0.5, $"{because}: center of mass ({cx:0.00}, {cy:0.00}) should be at (14, 14)\n{Digit28.Render(p)}");
        Assert.True(p.Max() > 0.9f, $"{because}: ink should be near 1 (white on black)");
        Assert.Equal(0f, p[0]);
    }

    [Fact]
    public void BlackOnWhitePng_IsInverted_FittedInto20x20_AndCenteredByMass()
    {
        // An off-center "L": a long vertical bar and a short foot, dark on a light background,
        // in a 300x200 image. The mass is not at the box center, so mass centering is visible.
        var canvas = new GreyCanvas(300, 200, 250);
        canvas.Stroke(40, 20, 40, 170, 8, 10);
        canvas.Stroke(40, 170, 110, 170, 8, 10);
        using var dir = TestData.NewTempDir();
        string file = dir.File("l-shape.png");
        File.WriteAllBytes(file, canvas.ToPng());

        float[] p = DigitImageLoader.Load(file);

        AssertMnistShaped(p, "black-on-white L");
        var (x0, y0, x1, y1) = Digit28.InkBox(p);
        Assert.Equal(20, y1 - y0 + 1); // taller than wide: the height becomes 20
        Assert.InRange(x1 - x0 + 1, 9, 13); // aspect ratio kept: (70+16)/(150+16)*20 ≈ 10.4
        // Mass sits left of the box center, so the box is shifted right of the geometric centering.
        Assert.True(x0 + (x1 - x0 + 1) / 2.0 > 14, "box should be shifted right so that the mass is centered");
        // The bar (left column of the box) is ink, the top-right of the box is background.
        Assert.True(p[(y0 + 2) * 28 + x0] > 0.5f);
        Assert.True(p[(y0 + 2) * 28 + x1] < 0.05f);
    }

    [Fact]
    public void WhiteOnBlack_GivesTheSameDigitAsBlackOnWhite()
    {
        var dark = new GreyCanvas(120, 160, 0);
        dark.Stroke(30, 20, 90, 140, 9, 255);
        var light = new GreyCanvas(120, 160, 255);
        light.Stroke(30, 20, 90, 140, 9, 0);

        float[] a = DigitImageLoader.Load(dark.ToPng(), "dark.png");
        float[] b = DigitImageLoader.Load(light.ToPng(), "light.png");

        AssertMnistShaped(a, "white-on-black stroke");
        for (int i = 0; i < 784; i++)
            Assert.Equal(a[i], b[i], 1e-5f);
    }

    [Fact]
    public void GreyBackground_IsStretchedToZero()
    {
        var canvas = new GreyCanvas(100, 100, 200); // light grey paper
        canvas.Stroke(50, 10, 50, 90, 6, 60);       // dark grey ink
        float[] p = DigitImageLoader.Load(canvas.ToPng(), "grey.png");
        AssertMnistShaped(p, "grey on grey");
        Assert.Equal(1f, p.Max(), 1e-5f);
        Assert.Equal(0, p.Count(v => v > 0 && v < 0.01f)); // no faint background haze
    }

    [Fact]
    public void Bmp_IsReadLikePng()
    {
        var canvas = new GreyCanvas(64, 48, 255);
        canvas.Stroke(10, 10, 50, 38, 4, 0);
        Assert.Equal(DigitImageLoader.Load(canvas.ToPng(), "a.png"), DigitImageLoader.Load(canvas.ToBmp(), "a.bmp"));
    }

    [Fact]
    public void TinyImage_IsScaledUp()
    {
        var canvas = new GreyCanvas(8, 8, 255);
        canvas.FillRect(3, 1, 2, 6, 0);
        float[] p = DigitImageLoader.Load(canvas.ToPng(), "tiny.png");
        var (x0, y0, x1, y1) = Digit28.InkBox(p);
        Assert.Equal(20, y1 - y0 + 1);
        Assert.InRange(x1 - x0 + 1, 6, 8); // 2/6 of 20
    }

    [Fact]
    public void MnistDigitsDrawnLargeOnPaper_AreRecognisedLikeTheOriginals()
    {
        // Each of 40 test digits scaled 8x as black ink on white paper with a wide margin must come
        // back as an MNIST-like 28x28 image that the classifier names as it names the original.
        var classifier = TestData.Classifier;
        int agree = 0;
        for (int i = 0; i < 40; i++)
        {
            float[] original = TestData.TestImages.GetImage(i);
            float[] loaded = DigitImageLoader.Load(GreyCanvas.FromMnist(original, 8, 50).ToPng(), $"mnist{i}.png");
            if (classifier.Predict(loaded).Digit == classifier.Predict(original).Digit) agree++;
        }
        Assert.True(agree >= 36, $"only {agree}/40 agree");
    }

    [Fact]
    public void BlankImage_IsAClearError()
    {
        var e = Assert.Throws<InputFileException>(() => DigitImageLoader.Load(new GreyCanvas(50, 50, 255).ToPng(), "blank.png"));
        Assert.Equal("blank.png: no digit found (the image is blank or has no contrast)", e.Message);
    }

    [Fact]
    public void NotAnImage_NamesTheFile()
    {
        using var dir = TestData.NewTempDir();
        string file = dir.File("fake.png");
        File.WriteAllText(file, "this is not a picture");
        var e = Assert.Throws<InputFileException>(() => DigitImageLoader.Load(file));
        Assert.StartsWith(file + ": not a", e.Message);
        var missing = Assert.Throws<InputFileException>(() => DigitImageLoader.Load(dir.File("missing.png")));
        Assert.Equal(dir.File("missing.png") + ": file not found", missing.Message);
    }
}

public class TextGridTests
{
    private static string Grid(Func<int, int, char> cell, string separator = "") =>
        string.Join("\n", Enumerable.Range(0, 28).Select(r => string.Join(separator, Enumerable.Range(0, 28).Select(c => cell(r, c))))) + "\n";

    [Fact]
    public void ReadsDotsAndHashes_AndZerosAndOnes_WithSpaces()
    {
        float[] a = TextGridLoader.Parse(Grid((r, c) => c == 14 && r is > 3 and < 24 ? '#' : '.'), "a.txt");
        float[] b = TextGridLoader.Parse("\r\n" + Grid((r, c) => c == 14 && r is > 3 and < 24 ? '1' : '0', " ").Replace("\n", "\r\n"), "b.txt");
        Assert.Equal(a, b);
        Assert.Equal(20, a.Count(v => v == 1f));
        Assert.Equal(1f, a[4 * 28 + 14]);
    }

    [Fact]
    public void ShortRow_NamesFileAndLine()
    {
        string[] lines = Grid((_, _) => '.').Split('\n');
        lines[4] = lines[4][..27];
        var e = Assert.Throws<InputFileException>(() => TextGridLoader.Parse(string.Join("\n", lines), "digit.txt"));
        Assert.Equal("digit.txt: line 5: 27 cells, expected 28", e.Message);
    }

    [Fact]
    public void BadCharacter_NamesLineAndColumn()
    {
        string[] lines = Grid((_, _) => '0').Split('\n');
        lines[9] = lines[9][..6] + "x" + lines[9][7..];
        var e = Assert.Throws<InputFileException>(() => TextGridLoader.Parse(string.Join("\n", lines), "digit.txt"));
        Assert.Equal("digit.txt: line 10, column 7: unexpected character 'x' (cells are 0/1 or ./#)", e.Message);
    }

    [Fact]
    public void TooFewAndTooManyRows_AreReported()
    {
        string full = Grid((_, _) => '0');
        string[] lines = full.TrimEnd('\n').Split('\n');
        var few = Assert.Throws<InputFileException>(() => TextGridLoader.Parse(string.Join("\n", lines[..27]), "few.txt"));
        Assert.StartsWith("few.txt: 27 rows, expected 28", few.Message);
        var many = Assert.Throws<InputFileException>(() => TextGridLoader.Parse(full + lines[0] + "\n", "many.txt"));
        Assert.Equal("many.txt: line 29: more than 28 rows (a grid has 28 rows of 28 cells)", many.Message);
        var wide = Assert.Throws<InputFileException>(() => TextGridLoader.Parse(full.Replace("\n", "0\n"), "wide.txt"));
        Assert.Equal("wide.txt: line 1: more than 28 cells (a row has 28)", wide.Message);
    }

    [Fact]
    public void FileErrors_NameThePath()
    {
        using var dir = TestData.NewTempDir();
        string path = dir.File("g.txt");
        File.WriteAllText(path, "0101\n");
        var e = Assert.Throws<InputFileException>(() => TextGridLoader.Load(path));
        Assert.Equal($"{path}: line 1: 4 cells, expected 28", e.Message);
    }
}

public class IdxInputTests
{
    private static string TestImagesGz => Path.Combine(TestData.MnistDir, "t10k-images-idx3-ubyte.gz");

    [Fact]
    public void LoadsOneImageFromGzippedIdx()
    {
        float[] p = IdxImageLoader.Load(TestImagesGz, 7);
        Assert.Equal(TestData.TestImages.GetImage(7), p);
        Assert.Equal(9, TestData.TestLabels[7]); // a well-known MNIST fact: t10k[7] is a 9
    }

    [Fact]
    public void LoadsRawIdx_AndFileAtIndexSpec()
    {
        using var dir = TestData.NewTempDir();
        string raw = dir.File("images.idx");
        using (var gz = new GZipStream(File.OpenRead(TestImagesGz), CompressionMode.Decompress))
        using (var output = File.Create(raw))
            gz.CopyTo(output);
        Assert.Equal(TestData.TestImages.GetImage(3), IdxImageLoader.Load(raw, 3));
        Assert.Equal(TestData.TestImages.GetImage(3), InputLoader.Load(raw + "@3"));
        Assert.Equal(TestData.TestImages.GetImage(0), InputLoader.Load(TestImagesGz));
    }

    [Fact]
    public void Errors_NameFileAndProblem()
    {
        var range = Assert.Throws<InputFileException>(() => IdxImageLoader.Load(TestImagesGz, 10000));
        Assert.Equal($"{TestImagesGz}: image index 10000 is out of range (the file has 10000 images, 0..9999)", range.Message);

        string labels = Path.Combine(TestData.MnistDir, "t10k-labels-idx1-ubyte.gz");
        var magic = Assert.Throws<InputFileException>(() => IdxImageLoader.Load(labels, 0));
        Assert.Equal($"{labels}: wrong magic number 2049 (0x00000801) (that is the magic of a label file); an IDX image file starts with 2051 (0x00000803)", magic.Message);

        using var dir = TestData.NewTempDir();
        string truncated = dir.File("cut.idx");
        File.WriteAllBytes(truncated, [0, 0, 8, 3, 0, 0, 0, 5, 0, 0, 0, 28, 0, 0, 0, 28, 1, 2, 3]);
        var cut = Assert.Throws<InputFileException>(() => IdxImageLoader.Load(truncated, 0));
        Assert.Contains("truncated", cut.Message);

        string corrupt = dir.File("bad.gz");
        File.WriteAllBytes(corrupt, [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 3, 0xFF, 0xFF, 0xFF, 0xFF]);
        var gz = Assert.Throws<InputFileException>(() => IdxImageLoader.Load(corrupt, 0));
        Assert.StartsWith(corrupt + ": ", gz.Message);

        var spec = Assert.Throws<InputFileException>(() => InputLoader.Load(TestImagesGz + "@x"));
        Assert.Contains("is not an image index", spec.Message);
    }
}
