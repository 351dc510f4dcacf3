using StbImageSharp;

namespace TfMnist.Predictor.Input;

/// <summary>
/// Loads a PNG, JPEG or BMP (any size, colour or grey) as a 28x28 MNIST-style digit: grey,
/// inverted when the background is light, contrast-stretched so the background is 0 and the
/// darkest ink 1, then <see cref="MnistNormalizer.Normalize"/> (crop to the ink, fit 20x20, center
/// by mass in 28x28).
/// </summary>
public static class DigitImageLoader
{
    /// <summary>Largest accepted image side, to keep a stray huge file from exhausting memory.</summary>
    public const int MaxSide = 8192;

    /// <exception cref="InputFileException">Unreadable, not an image, blank, or too large.</exception>
    public static float[] Load(string path)
    {
        byte[] bytes = BoundedFile.ReadAll(path, BoundedFile.MaxImageBytes, "an image");
        if (bytes.Length == 0)
            throw new InputFileException(path, "the file is empty (0 bytes)");
        return Load(bytes, path);
    }

    /// <summary>Decodes an image held in memory; <paramref name="name"/> is used in error messages.</summary>
    public static float[] Load(byte[] bytes, string name)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        ImageResult image;
        try
        {
            using var stream = new MemoryStream(bytes, writable: false);
            var info = ImageInfo.FromStream(stream) ?? throw new InputFileException(name, "not a PNG, JPEG or BMP image");
            if (info.Width > MaxSide || info.Height > MaxSide)
                throw new InputFileException(name, $"image is {info.Width}x{info.Height}; at most {MaxSide}x{MaxSide} is accepted");
            stream.Position = 0;
            image = ImageResult.FromStream(stream, ColorComponents.GreyAlpha);
        }
        catch (InputFileException)
        {
            throw;
        }
        catch (Exception e)
        {
            throw new InputFileException(name, $"not a readable PNG, JPEG or BMP image ({BoundedFile.Printable(e.Message)})", e);
        }
        if (image.Width < 1 || image.Height < 1)
            throw new InputFileException(name, "image has no pixels");

        // Grey + alpha; transparent areas are composited over white (as a browser shows them).
        int n = image.Width * image.Height;
        var grey = new double[n];
        for (int i = 0; i < n; i++)
        {
            double g = image.Data[2 * i] / 255.0, a = image.Data[2 * i + 1] / 255.0;
            grey[i] = g * a + (1 - a);
        }
        return FromGrey(grey, image.Width, image.Height)
            ?? throw new InputFileException(name, "no digit found (the image is blank or has no contrast)");
    }

    /// <summary>
    /// The steps after decoding: brightness values in [0, 1] (1 = white) of any size to a 28x28 digit.
    /// Returns null for a blank image.
    /// </summary>
    public static float[]? FromGrey(double[] grey, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(grey);
        // Background = median of the one-pixel border; light background => dark ink => invert.
        double background = BorderMedian(grey, width, height);
        bool invert = background > 0.5;
        var ink = new double[grey.Length];
        double bg = invert ? 1 - background : background;
        double max = 0;
        for (int i = 0; i < grey.Length; i++)
        {
            double v = invert ? 1 - grey[i] : grey[i];
            ink[i] = v;
            if (v > max) max = v;
        }
        double range = max - bg;
        if (range < 0.1)
            return null;
        for (int i = 0; i < ink.Length; i++)
            ink[i] = Math.Clamp((ink[i] - bg) / range, 0, 1);
        return MnistNormalizer.Normalize(ink, width, height);
    }

    private static double BorderMedian(double[] grey, int width, int height)
    {
        var border = new List<double>(2 * (width + height));
        for (int x = 0; x < width; x++)
        {
            border.Add(grey[x]);
            if (height > 1) border.Add(grey[(height - 1) * width + x]);
        }
        for (int y = 1; y < height - 1; y++)
        {
            border.Add(grey[y * width]);
            if (width > 1) border.Add(grey[y * width + width - 1]);
        }
        border.Sort();
        return border[border.Count / 2];
    }
}
