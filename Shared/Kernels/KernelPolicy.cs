namespace TfMnist.Kernels;

/// <summary>
/// Which kernel paths the calling thread may take. The default lets every kernel choose its fastest
/// path; <see cref="Reference"/> restricts them to the plainest ones (one thread, the scalar GEMM,
/// no sparse or row-pair products), the spec the fast paths are tested against.
/// </summary>
/// <remarks>Thread-static so a reference session and a fast one can run side by side (tests do);
/// a session sets it for the duration of a run with <see cref="Enter"/>.</remarks>
public static class KernelPolicy
{
    [ThreadStatic] private static bool t_reference;

    /// <summary>True while the calling thread runs a reference session's step.</summary>
    public static bool Reference => t_reference;

    /// <summary>Sets the policy for the calling thread until the returned scope is disposed.</summary>
    public static Scope Enter(bool reference) => new(reference);

    public readonly struct Scope : IDisposable
    {
        private readonly bool _previous;
        private readonly GemmIsa? _previousIsa;
        private readonly int? _previousThreads;
        private readonly bool _active;

        internal Scope(bool reference)
        {
            _active = reference;
            _previous = t_reference;
            _previousIsa = Gemm.ForceIsa;
            _previousThreads = Gemm.ForceThreads;
            if (!reference) return;
            t_reference = true;
            Gemm.ForceIsa = GemmIsa.Scalar;
            Gemm.ForceThreads = 1;
        }

        public void Dispose()
        {
            if (!_active) return;
            t_reference = _previous;
            Gemm.ForceIsa = _previousIsa;
            Gemm.ForceThreads = _previousThreads;
        }
    }
}
