using Google.Protobuf;
using TfMnist.Proto;

namespace TfMnist.Summary;

/// <summary>
/// TensorFlow 1.x tf.summary.image (ImageSummary op) for float input of shape [N, H, W, C]:
/// each of the first max_outputs images is normalized to bytes on its own and PNG-encoded.
/// </summary>
public static class ImageSummary
{
    // TF's default bad_color attr: opaque red, truncated to the image's channel count.
    private static readonly byte[] s_badColor = [255, 0, 0, 255];

    // Below this magnitude TF treats the image as all zero rather than dividing by ~0.
    private const float ZeroThreshold = 1e-6f;

    /// <summary>
    /// One Summary.Value per image, tagged <c>tag/image/i</c> when max_outputs &gt; 1 and
    /// <c>tag/image</c> when it is 1 (the suffix depends on the request, not on N).
    /// </summary>
    public static List<Proto.Summary.Types.Value> Build(string tag, ReadOnlySpan<float> images,
        int batch, int height, int width, int channels, int maxOutputs = 3)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(batch);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxOutputs, 1);
        if (channels is not (1 or 3 or 4))
            throw new ArgumentOutOfRangeException(nameof(channels), channels, "Image summary needs 1, 3 or 4 channels.");
        int imageSize = checked(height * width * channels);
        if (images.Length != (long)batch * imageSize)
            throw new ArgumentException($"Expected {batch}x{height}x{width}x{channels} floats, got {images.Length}.", nameof(images));

        int count = Math.Min(maxOutputs, batch);
        var values = new List<Proto.Summary.Types.Value>(count);
        var pixels = new byte[imageSize];
        for (int i = 0; i < count; i++)
        {
            Normalize(images.Slice(i * imageSize, imageSize), channels, pixels);
            values.Add(new Proto.Summary.Types.Value
            {
                Tag = maxOutputs > 1 ? $"{tag}/image/{i}" : $"{tag}/image",
                Image = new Proto.Summary.Types.Image
                {
                    Height = height,
                    Width = width,
                    Colorspace = channels,
                    // The encoder's array is ours alone and never written again: wrap it, do not copy.
                    EncodedImageString = UnsafeByteOperations.UnsafeWrap(PngEncoder.Encode(pixels, width, height, channels)),
                },
            });
        }
        return values;
    }

    /// <summary>
    /// TF's float-to-byte rule, per image. All values &gt;= 0: scale by 255/max. Any negative:
    /// scale by 127/max(|min|, |max|) and add 128, so 0 maps to 128 and the extremes to 1 and
    /// 255. Results are truncated (a C++ float-to-uint8 cast), not rounded. A pixel with any
    /// non-finite channel becomes bad_color and is ignored when finding min and max.
    /// </summary>
    public static void Normalize(ReadOnlySpan<float> image, int channels, Span<byte> pixels)
    {
        if (pixels.Length != image.Length) throw new ArgumentException("Pixel buffer size differs from image size.", nameof(pixels));
        bool allFinite = PixelScaling.TryMinMax(image, out float min, out float max);
        if (!allFinite) FiniteMinMax(image, channels, out min, out max);

        float scale, offset;
        if (min < 0)
        {
            float maxAbs = Math.Max(Math.Abs(min), Math.Abs(max));
            scale = maxAbs < ZeroThreshold ? 0f : 127f / maxAbs;
            offset = 128f;
        }
        else
        {
            scale = max < ZeroThreshold ? 0f : 255f / max;
            offset = 0f;
        }

        if (allFinite)
        {
            PixelScaling.Scale(image, scale, offset, pixels);
            return;
        }
        for (int p = 0; p < image.Length; p += channels)
        {
            ReadOnlySpan<float> pixel = image.Slice(p, channels);
            Span<byte> target = pixels.Slice(p, channels);
            if (!AllFinite(pixel))
            {
                s_badColor.AsSpan(0, channels).CopyTo(target);
                continue;
            }
            for (int c = 0; c < channels; c++)
            {
                // Computed in float like TF; the clamp only guards float rounding at the ends.
                float scaled = pixel[c] * scale + offset;
                target[c] = (byte)Math.Clamp((int)scaled, 0, 255);
            }
        }
    }

    // Min and max over the pixels whose channels are all finite.
    private static void FiniteMinMax(ReadOnlySpan<float> image, int channels, out float min, out float max)
    {
        min = float.PositiveInfinity;
        max = float.NegativeInfinity;
        for (int p = 0; p < image.Length; p += channels)
        {
            ReadOnlySpan<float> pixel = image.Slice(p, channels);
            if (!AllFinite(pixel)) continue;
            foreach (float v in pixel)
            {
                min = Math.Min(min, v);
                max = Math.Max(max, v);
            }
        }
    }

    private static bool AllFinite(ReadOnlySpan<float> pixel)
    {
        foreach (float v in pixel)
            if (!float.IsFinite(v)) return false;
        return true;
    }
}
