namespace TfMnist.Kernels;

/// <summary>
/// Copies an axis-aligned box between row-major tensors of any element type (Slice, Pad):
/// contiguous innermost runs go through Array.Copy; no allocation.
/// </summary>
public static class BoxCopy
{
    public static void Copy(Array src, ReadOnlySpan<int> srcShape, ReadOnlySpan<int> srcStart,
        Array dst, ReadOnlySpan<int> dstShape, ReadOnlySpan<int> dstStart, ReadOnlySpan<int> extent)
    {
        int rank = extent.Length;
        for (int d = 0; d < rank; d++)
            if (extent[d] == 0) return;
        if (rank == 0) { Array.Copy(src, 0, dst, 0, 1); return; }

        // Merge trailing axes that are copied whole in both tensors into one longer run.
        int last = rank - 1;
        int run = extent[last];
        while (last > 0 && extent[last] == srcShape[last] && extent[last] == dstShape[last] &&
               srcStart[last] == 0 && dstStart[last] == 0)
        {
            last--;
            run *= extent[last];
        }

        Span<int> srcStrides = stackalloc int[rank];
        Span<int> dstStrides = stackalloc int[rank];
        int ss = 1, ds = 1;
        for (int d = rank - 1; d >= 0; d--)
        {
            srcStrides[d] = ss; ss *= srcShape[d];
            dstStrides[d] = ds; ds *= dstShape[d];
        }
        int srcOffset = 0, dstOffset = 0;
        for (int d = 0; d < rank; d++)
        {
            srcOffset += srcStart[d] * srcStrides[d];
            dstOffset += dstStart[d] * dstStrides[d];
        }

        // Odometer over the outer axes [0, last); each step copies one run.
        Span<int> index = stackalloc int[Math.Max(last, 1)];
        index.Clear();
        while (true)
        {
            Array.Copy(src, srcOffset, dst, dstOffset, run);
            int d = last - 1;
            for (; d >= 0; d--)
            {
                index[d]++;
                srcOffset += srcStrides[d];
                dstOffset += dstStrides[d];
                if (index[d] < extent[d]) break;
                srcOffset -= srcStrides[d] * index[d];
                dstOffset -= dstStrides[d] * index[d];
                index[d] = 0;
            }
            if (d < 0) return;
        }
    }
}
