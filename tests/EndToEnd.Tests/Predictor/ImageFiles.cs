using System.Buffers.Binary;
using TfMnist.Summary;

namespace TfMnist.EndToEnd.Predictor;

/// <summary>Synthetic test images: a grey canvas to draw on, saved as PNG (Shared's encoder) or BMP.</summary>
public sealed class GreyCanvas
{
    public GreyCanvas(int width, int height, byte background)
    {
        Width = width;
        Height = height;
        Pixels = new byte[width * height];
        Array.Fill(Pixels, background);
    }

    public int Width { get; }
    public int Height { get; }
    public byte[] Pixels { get; }

    public void FillRect(int x, int y, int w, int h, byte value)
    {
        for (int yy = Math.Max(0, y); yy < Math.Min(Height, y + h); yy++)
            for (int xx = Math.Max(0, x); xx < Math.Min(Width, x + w); xx++)
                Pixels[yy * Width + xx] = value;
    }

    /// <summary>A thick line of round dots from (x0,y0) to (x1,y1).</summary>
    public void Stroke(double x0, double y0, double x1, double y1, double radius, byte value)
    {
        int steps = (int)Math.Ceiling(Math.Max(Math.Abs(x1 - x0), Math.Abs(y1 - y0))) + 1;
        for (int i = 0; i <= steps; i++)
        {
            double cx = x0 + (x1 - x0) * i / steps, cy = y0 + (y1 - y0) * i / steps;
            for (int y = (int)(cy - radius); y <= (int)(cy + radius) + 1; y++)
                for (int x = (int)(cx - radius); x <= (int)(cx + radius) + 1; x++)
                    if (x >= 0 && y >= 0 && x < Width && y < Height && (x - cx) * (x - cx) + (y - cy) * (y - cy) <= radius * radius)
                        Pixels[y * Width + x] = value;
        }
    }

    public byte[] ToPng() => PngEncoder.Encode(Pixels, Width, Height, 1);

    /// <summary>24-bit bottom-up BMP.</summary>
    public byte[] ToBmp()
    {
        int rowBytes = (Width * 3 + 3) & ~3;
        int size = 54 + rowBytes * Height;
        var bmp = new byte[size];
        bmp[0] = (byte)'B'; bmp[1] = (byte)'M';
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(2), size);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(10), 54);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(14), 40);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(18), Width);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(22), Height);
        BinaryPrimitives.WriteInt16LittleEndian(bmp.AsSpan(26), 1);
        BinaryPrimitives.WriteInt16LittleEndian(bmp.AsSpan(28), 24);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(34), rowBytes * Height);
        for (int y = 0; y < Height; y++)
        {
            int row = 54 + (Height - 1 - y) * rowBytes;
            for (int x = 0; x < Width; x++)
            {
                byte v = Pixels[y * Width + x];
                bmp[row + 3 * x] = bmp[row + 3 * x + 1] = bmp[row + 3 * x + 2] = v;
            }
        }
        return bmp;
    }

    /// <summary>Scales a 28x28 MNIST image up (nearest) onto a black-on-white canvas with a margin.</summary>
    public static GreyCanvas FromMnist(float[] image, int factor, int margin)
    {
        var canvas = new GreyCanvas(28 * factor + 2 * margin, 28 * factor + 2 * margin, 255);
        for (int y = 0; y < 28; y++)
            for (int x = 0; x < 28; x++)
                canvas.FillRect(margin + x * factor, margin + y * factor, factor, factor, (byte)Math.Round(255 * (1 - image[y * 28 + x])));
        return canvas;
    }
}

/// <summary>Measurements of a 28x28 image.</summary>
public static class Digit28
{
    public static (int X0, int Y0, int X1, int Y1) InkBox(float[] p, float threshold = 0.01f)
    {
        int x0 = 28, y0 = 28, x1 = -1, y1 = -1;
        for (int y = 0; y < 28; y++)
            for (int x = 0; x < 28; x++)
                if (p[y * 28 + x] > threshold)
                {
                    x0 = Math.Min(x0, x); x1 = Math.Max(x1, x); y0 = Math.Min(y0, y); y1 = Math.Max(y1, y);
                }
        return (x0, y0, x1, y1);
    }

    /// <summary>Center of mass with pixel centers at +0.5 (the field's center is 14, 14).</summary>
    public static (double X, double Y) CenterOfMass(float[] p)
    {
        double m = 0, mx = 0, my = 0;
        for (int y = 0; y < 28; y++)
            for (int x = 0; x < 28; x++)
            {
                double v = p[y * 28 + x];
                m += v; mx += v * (x + 0.5); my += v * (y + 0.5);
            }
        return (mx / m, my / m);
    }

    public static string Render(float[] p)
    {
        var sb = new System.Text.StringBuilder();
        for (int y = 0; y < 28; y++)
        {
            for (int x = 0; x < 28; x++)
                sb.Append(p[y * 28 + x] switch { > 0.66f => '#', > 0.33f => '+', > 0.05f => '.', _ => ' ' });
            sb.AppendLine();
        }
        return sb.ToString();
    }
}
