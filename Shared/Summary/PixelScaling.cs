using System.Numerics;
using System.Runtime.InteropServices;

namespace TfMnist.Summary;

/// <summary>
/// The vector loops of <see cref="ImageSummary.Normalize"/> for the usual image with no NaN
/// or infinity: min and max over all samples, then value * scale + offset truncated to bytes.
/// Multiply and add stay separate operations (no fused multiply-add), so each byte is the one
/// the scalar float rule gives.
/// </summary>
internal static class PixelScaling
{
    /// <summary>Min and max of all samples, or false if any sample is NaN or infinite.</summary>
    public static bool TryMinMax(ReadOnlySpan<float> samples, out float min, out float max)
    {
        var vMin = new Vector<float>(float.PositiveInfinity);
        var vMax = new Vector<float>(float.NegativeInfinity);
        var finite = Vector<float>.Zero;
        ReadOnlySpan<Vector<float>> vectors = Vector.IsHardwareAccelerated ? MemoryMarshal.Cast<float, Vector<float>>(samples) : [];
        foreach (var v in vectors)
        {
            // v - v is 0 for a finite v and NaN otherwise, and a NaN stays once OR-ed in.
            finite |= v - v;
            vMin = Vector.Min(vMin, v);
            vMax = Vector.Max(vMax, v);
        }
        min = float.PositiveInfinity;
        max = float.NegativeInfinity;
        if (!Vector.EqualsAll(finite, Vector<float>.Zero)) return false;
        for (int k = 0; k < Vector<float>.Count; k++)
        {
            min = Math.Min(min, vMin[k]);
            max = Math.Max(max, vMax[k]);
        }
        foreach (float f in samples[(vectors.Length * Vector<float>.Count)..])
        {
            if (!float.IsFinite(f)) return false;
            min = Math.Min(min, f);
            max = Math.Max(max, f);
        }
        return true;
    }

    /// <summary>pixels[i] = clamp((int)(samples[i] * scale + offset), 0, 255) for finite samples.</summary>
    public static void Scale(ReadOnlySpan<float> samples, float scale, float offset, Span<byte> pixels)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            // Four float vectors narrow to one byte vector.
            int step = Vector<byte>.Count;
            var vScale = new Vector<float>(scale);
            var vOffset = new Vector<float>(offset);
            ReadOnlySpan<Vector<float>> vectors = MemoryMarshal.Cast<float, Vector<float>>(samples);
            Span<Vector<byte>> targets = MemoryMarshal.Cast<byte, Vector<byte>>(pixels);
            for (int q = 0; q < targets.Length && 4 * q + 3 < vectors.Length; q++, i += step)
            {
                var a = ToUInt(vectors[4 * q], vScale, vOffset);
                var b = ToUInt(vectors[4 * q + 1], vScale, vOffset);
                var c = ToUInt(vectors[4 * q + 2], vScale, vOffset);
                var d = ToUInt(vectors[4 * q + 3], vScale, vOffset);
                targets[q] = Vector.Narrow(Vector.Narrow(a, b), Vector.Narrow(c, d));
            }
        }
        for (; i < samples.Length; i++)
            pixels[i] = (byte)Math.Clamp((int)(samples[i] * scale + offset), 0, 255);
    }

    private static Vector<uint> ToUInt(Vector<float> v, Vector<float> scale, Vector<float> offset)
    {
        Vector<float> scaled = v * scale + offset;
        Vector<int> truncated = Vector.ConvertToInt32(scaled);
        return Vector.AsVectorUInt32(Vector.Min(Vector.Max(truncated, Vector<int>.Zero), new Vector<int>(255)));
    }
}
