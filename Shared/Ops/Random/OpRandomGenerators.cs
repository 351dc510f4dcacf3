using System.Security.Cryptography;
using TfMnist.Framework;
using TfMnist.Kernels;

namespace TfMnist.Ops;

/// <summary>Which <see cref="RandomGenerator"/> a random op draws from in a session, by TF's seeding rule.</summary>
internal static class OpRandomGenerators
{
    /// <summary>
    /// The op's generator in this session, created on first use with TF's seeding rule: the op's
    /// own seed/seed2 attrs when either is nonzero; else the session's graph-level seed with the op's
    /// id (what tf.get_seed derives from graph._last_id); else a nondeterministic seed.
    /// </summary>
    public static RandomGenerator For(KernelContext ctx) =>
        ctx.Session.GetOpState(ctx.Op, static (op, session) => Create(op, session.Seed));

    internal static RandomGenerator Create(Operation op, int? graphSeed)
    {
        long seed = op.Attrs.GetInt("seed", 0), seed2 = op.Attrs.GetInt("seed2", 0);
        if (seed != 0 || seed2 != 0) return new RandomGenerator((ulong)seed, (ulong)seed2);
        if (graphSeed is int g) return new RandomGenerator((ulong)(long)g, (ulong)op.Id);
        Span<byte> entropy = stackalloc byte[8];
        RandomNumberGenerator.Fill(entropy);
        return new RandomGenerator(BitConverter.ToUInt64(entropy));
    }
}
