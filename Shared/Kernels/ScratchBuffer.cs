using System.Runtime.InteropServices;

namespace TfMnist.Kernels;

/// <summary>
/// A grow-only, 64-byte aligned native buffer, one per thread and purpose ([ThreadStatic] holders), so the
/// steady state allocates nothing. The finalizer frees the memory when the owning thread's holder dies.
/// </summary>
internal sealed unsafe class ScratchBuffer
{
    private void* _ptr;
    private nint _bytes;

    public T* Get<T>(nint count) where T : unmanaged
    {
        nint bytes = count * sizeof(T);
        if (bytes > _bytes)
        {
            NativeMemory.AlignedFree(_ptr);
            _ptr = null;
            _bytes = 0;
            nint grown = Math.Max(bytes, 4096);
            _ptr = NativeMemory.AlignedAlloc((nuint)grown, 64);
            _bytes = grown;
        }
        return (T*)_ptr;
    }

    ~ScratchBuffer() => NativeMemory.AlignedFree(_ptr);
}
