namespace TfMnist.Predictor.Input;

/// <summary>
/// Turns an ink map of any size into a 28x28 MNIST-style digit, the way the MNIST digits were made:
/// crop to the bounding box of the ink, scale (area averaging) so the longer side is 20 pixels,
/// keeping the aspect ratio, then place it in a 28x28 field so that its center of mass sits at the
/// center (14, 14).
/// </summary>
/// <remarks>
/// The drawing page (wwwroot/ocr.js, <c>normalizeInk</c>) implements the same steps with the same
/// rounding, so a drawing posted by the page and the same drawing saved as a PNG and loaded with
/// <see cref="DigitImageLoader"/> give (nearly) the same 784 values.
/// </remarks>
public static class MnistNormalizer
{
    public const int Size = 28;
    public const int Box = 20;

    /// <summary>Ink below this does not count for the bounding box (noise, antialiasing halo).</summary>
    public const double InkThreshold = 0.2;

    /// <summary>
    /// Normalises an ink map (row-major, width*height values in [0, 1], 1 = ink).
    /// Returns null when no value reaches <see cref="InkThreshold"/> (a blank image).
    /// </summary>
    public static float[]? Normalize(ReadOnlySpan<double> ink, int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        if (ink.Length != width * height)
            throw new ArgumentException($"Expected {width * height} values, got {ink.Length}.", nameof(ink));

        // 1. Bounding box of the ink.
        int x0 = width, y0 = height, x1 = -1, y1 = -1;
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                if (ink[y * width + x] >= InkThreshold)
                {
                    if (x < x0) x0 = x;
                    if (x > x1) x1 = x;
                    if (y < y0) y0 = y;
                    if (y > y1) y1 = y;
                }
            }
        }
        if (x1 < 0)
            return null;
        int w = x1 - x0 + 1, h = y1 - y0 + 1;

        // 2. Fit the longer side to 20 pixels, keeping the aspect ratio.
        double scale = (double)Box / Math.Max(w, h);
        int tw = Math.Clamp(RoundHalfUp(w * scale), 1, Box);
        int th = Math.Clamp(RoundHalfUp(h * scale), 1, Box);
        var small = new double[tw * th];
        AreaResample(ink, width, x0, y0, w, h, small, tw, th);

        // 3. Center of mass of the scaled digit (pixel centers at +0.5).
        double mass = 0, mx = 0, my = 0;
        for (int y = 0; y < th; y++)
        {
            for (int x = 0; x < tw; x++)
            {
                double v = small[y * tw + x];
                mass += v;
                mx += v * (x + 0.5);
                my += v * (y + 0.5);
            }
        }
        int left, top;
        if (mass > 0)
        {
            left = RoundHalfUp(Size / 2.0 - mx / mass);
            top = RoundHalfUp(Size / 2.0 - my / mass);
        }
        else
        {
            left = (Size - tw) / 2;
            top = (Size - th) / 2;
        }
        left = Math.Clamp(left, 0, Size - tw);
        top = Math.Clamp(top, 0, Size - th);

        var result = new float[Size * Size];
        for (int y = 0; y < th; y++)
        {
            for (int x = 0; x < tw; x++)
                result[(top + y) * Size + left + x] = (float)Math.Clamp(small[y * tw + x], 0, 1);
        }
        return result;
    }

    /// <summary>Math.round of JavaScript: halves go up. Keeps C# and the page in step.</summary>
    internal static int RoundHalfUp(double v) => (int)Math.Floor(v + 0.5);

    /// <summary>
    /// Exact area averaging of the source rectangle (sx, sy, sw, sh) into tw x th: each target pixel is
    /// the mean of the source area it covers, partially covered source pixels weighted by coverage.
    /// Works for shrinking and enlarging alike.
    /// </summary>
    private static void AreaResample(ReadOnlySpan<double> src, int stride, int sx, int sy, int sw, int sh,
        Span<double> dst, int tw, int th)
    {
        double fx = (double)sw / tw, fy = (double)sh / th;
        for (int ty = 0; ty < th; ty++)
        {
            double ya = ty * fy, yb = (ty + 1) * fy;
            for (int tx = 0; tx < tw; tx++)
            {
                double xa = tx * fx, xb = (tx + 1) * fx;
                double sum = 0;
                for (int y = (int)Math.Floor(ya); y < Math.Min(sh, (int)Math.Ceiling(yb)); y++)
                {
                    double wy = Math.Min(yb, y + 1) - Math.Max(ya, y);
                    if (wy <= 0) continue;
                    for (int x = (int)Math.Floor(xa); x < Math.Min(sw, (int)Math.Ceiling(xb)); x++)
                    {
                        double wx = Math.Min(xb, x + 1) - Math.Max(xa, x);
                        if (wx <= 0) continue;
                        sum += wx * wy * src[(sy + y) * stride + sx + x];
                    }
                }
                dst[ty * tw + tx] = sum / (fx * fy);
            }
        }
    }
}
