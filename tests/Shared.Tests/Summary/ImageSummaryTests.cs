using TfMnist.Summary;

namespace TfMnist.Tests.Summary;

public class ImageSummaryTests
{
    private static byte[] Normalize(float[] image, int channels = 1)
    {
        var pixels = new byte[image.Length];
        ImageSummary.Normalize(image, channels, pixels);
        return pixels;
    }

    [Fact]
    public void NonNegativeImage_ScalesMaxTo255_Truncating()
    {
        // scale = 255 / 2 = 127.5: 0.5 -> 63.75 -> 63, 1 -> 127.5 -> 127, 2 -> 255.
        Assert.Equal([0, 63, 127, 255], Normalize([0f, 0.5f, 1f, 2f]));
    }

    [Fact]
    public void MixedSignImage_MapsZeroTo128_AndLargestMagnitudeToAnEnd()
    {
        // max |v| = 2, scale = 63.5, offset 128: -2 -> 1, -1 -> 64.5 -> 64, 0 -> 128, 1 -> 191.5 -> 191.
        Assert.Equal([1, 64, 128, 191], Normalize([-2f, -1f, 0f, 1f]));
        // max |v| = 4 from the positive side, scale = 31.75: -1 -> 96.25 -> 96, 4 -> 255, 2 -> 191.5 -> 191.
        Assert.Equal([96, 255, 191, 128], Normalize([-1f, 4f, 2f, 0f]));
    }

    [Fact]
    public void NearZeroImages_BecomeFlat()
    {
        Assert.Equal([0, 0, 0], Normalize([0f, 0f, 0f]));
        Assert.Equal([0, 0, 0], Normalize([0f, 5e-7f, 1e-7f]));           // max below 1e-6
        Assert.Equal([128, 128, 128], Normalize([-5e-7f, 0f, 2e-7f]));  // |v| below 1e-6
    }

    [Fact]
    public void NonFinitePixel_GetsBadColor_AndIsIgnoredForScaling()
    {
        // RGB, three pixels; the middle one has a NaN channel, so its finite 100 must not set max.
        float[] image = [1f, 2f, 0f, float.NaN, 100f, 0f, 0.5f, 0f, 2f];
        Assert.Equal([127, 255, 0, 255, 0, 0, 63, 0, 255], Normalize(image, channels: 3));
    }

    [Fact]
    public void Build_TagsAndEncodesTheFirstMaxOutputsImages()
    {
        // Four 2x3 grey images; image i holds i, i+1, ... so each normalizes differently.
        float[] batch = Enumerable.Range(0, 4).SelectMany(i => Enumerable.Range(0, 6).Select(k => (float)(i - 2 + k))).ToArray();

        var three = ImageSummary.Build("input", batch, 4, 2, 3, 1, maxOutputs: 3);
        Assert.Equal(["input/image/0", "input/image/1", "input/image/2"], three.Select(v => v.Tag).ToArray());
        for (int i = 0; i < 3; i++)
        {
            var img = three[i].Image;
            Assert.Equal((2, 3, 1), (img.Height, img.Width, img.Colorspace));
            var decoded = PngTestDecoder.Decode(img.EncodedImageString.ToByteArray());
            Assert.Equal(Normalize(batch[(i * 6)..(i * 6 + 6)]), decoded.Pixels);
        }
        // Image 0 holds -2..3: max |v| 3, scale 127/3, so -2 -> 43.33 -> 43 and 3 -> 255.
        Assert.Equal([43, 85, 128, 170, 212, 255], PngTestDecoder.Decode(three[0].Image.EncodedImageString.ToByteArray()).Pixels);

        var one = ImageSummary.Build("input", batch, 4, 2, 3, 1, maxOutputs: 1);
        Assert.Equal(["input/image"], one.Select(v => v.Tag).ToArray());

        // The suffix follows max_outputs even when the batch is smaller.
        var fewer = ImageSummary.Build("x", batch[..12], 2, 2, 3, 1, maxOutputs: 3);
        Assert.Equal(["x/image/0", "x/image/1"], fewer.Select(v => v.Tag).ToArray());
    }

    [Fact]
    public void Build_EncodesRgbAndRgba()
    {
        float[] rgba = [1f, 0f, 0f, 1f, 0f, 1f, 0f, 0.5f];
        var value = ImageSummary.Build("c", rgba, 1, 1, 2, 4, maxOutputs: 1).Single();
        Assert.Equal(4, value.Image.Colorspace);
        var decoded = PngTestDecoder.Decode(value.Image.EncodedImageString.ToByteArray());
        Assert.Equal(6, decoded.ColorType);
        Assert.Equal([255, 0, 0, 255, 0, 255, 0, 127], decoded.Pixels);
        Assert.Throws<ArgumentOutOfRangeException>(() => ImageSummary.Build("c", new float[4], 1, 1, 2, 2));
    }

    [Fact]
    public void Normalize_VectorPathMatchesTheScalarRule()
    {
        // Lengths around the vector widths, non-negative and mixed-sign images, wide magnitudes.
        var rng = new Random(11);
        for (int length = 1; length <= 300; length += 7)
            foreach (bool mixed in new[] { false, true })
            {
                float magnitude = (float)Math.Pow(10, rng.Next(-8, 8));
                var image = new float[length];
                for (int i = 0; i < length; i++) image[i] = (float)(mixed ? rng.NextDouble() * 2 - 1 : rng.NextDouble()) * magnitude;
                Assert.Equal(ScalarRule(image), Normalize(image));
            }
    }

    // TF's rule for an all-finite image, one value at a time.
    private static byte[] ScalarRule(float[] image)
    {
        float min = image.Min(), max = image.Max();
        float scale = min < 0 ? (Math.Max(-min, Math.Abs(max)) < 1e-6f ? 0f : 127f / Math.Max(-min, Math.Abs(max))) : (max < 1e-6f ? 0f : 255f / max);
        float offset = min < 0 ? 128f : 0f;
        return image.Select(v => (byte)Math.Clamp((int)(v * scale + offset), 0, 255)).ToArray();
    }

    [Fact]
    public void Build_BinaryInputImages_BecomeOneBitPngsOfTheSamePixels()
    {
        var rng = new Random(12);
        float[] batch = Enumerable.Range(0, 10 * 784).Select(_ => rng.Next(5) == 0 ? 1f : 0f).ToArray();
        var values = ImageSummary.Build("input", batch, 10, 28, 28, 1, maxOutputs: 10);
        for (int i = 0; i < 10; i++)
        {
            byte[] png = values[i].Image.EncodedImageString.ToByteArray();
            var decoded = PngTestDecoder.Decode(png);
            Assert.Equal(1, decoded.BitDepth);
            Assert.Equal(batch[(i * 784)..((i + 1) * 784)].Select(v => (byte)(v * 255)).ToArray(), decoded.Pixels);
            Assert.Equal(208, png.Length); // 57 bytes of PNG framing, 151 of stored zlib
        }
    }
}
