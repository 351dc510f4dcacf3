using TfMnist.Kernels;

namespace TfMnist.Tests.Kernels;

/// <summary>The fork-join that kernels share with the helper threads: every part runs exactly once, whoever runs it.</summary>
[Collection(typeof(ForkJoinCollection))]
public unsafe class GemmThreadingTests
{
    private struct Tally
    {
        public int* Runs;     // per part
        public int* Threads;  // managed thread id of the last runner, per part
        public int Throwing;  // part that throws, or -1
        public long SpinTicks; // how long each part works, so that a sleeping helper has time to wake and join
    }

    private static void CountPart(void* state, int part)
    {
        var t = (Tally*)state;
        Interlocked.Increment(ref t->Runs[part]);
        t->Threads[part] = Environment.CurrentManagedThreadId;
        for (long end = System.Diagnostics.Stopwatch.GetTimestamp() + t->SpinTicks; System.Diagnostics.Stopwatch.GetTimestamp() < end;) { }
        if (part == t->Throwing) throw new InvalidOperationException($"part {part} failed");
    }

    private static void SkipOnOneCore()
    {
        if (GemmThreading.ThreadCount < 2) Requirement.Missing("One core: there are no helper threads and TryRun never forks.");
    }

    private static (bool Ran, int[] Runs, int[] Threads) Run(int parts, int throwing = -1, long spinTicks = 0)
    {
        var runs = new int[parts];
        var threads = new int[parts];
        fixed (int* r = runs, th = threads)
        {
            var tally = new Tally { Runs = r, Threads = th, Throwing = throwing, SpinTicks = spinTicks };
            bool ran = GemmThreading.TryRun(&CountPart, &tally, parts);
            return (ran, runs, threads);
        }
    }

    [Fact]
    public void EveryPartRunsExactlyOnce()
    {
        SkipOnOneCore();
        foreach (int parts in new[] { GemmThreading.ThreadCount, 3 * GemmThreading.ThreadCount + 1 }) // more parts than threads too
            for (int i = 0; i < 1000; i++)
            {
                var (ran, runs, _) = Run(parts);
                Assert.True(ran);
                Assert.All(runs, n => Assert.Equal(1, n));
            }
    }

    [Fact]
    public void HelperThreadsTakeParts()
    {
        SkipOnOneCore();
        // Parts of 50 us, for up to 5 s: time enough for a helper to wake, even with other tests busy on every core.
        int caller = Environment.CurrentManagedThreadId;
        bool helped = false;
        long spin = System.Diagnostics.Stopwatch.Frequency / 20_000, deadline = Environment.TickCount64 + 5000;
        while (!helped && Environment.TickCount64 < deadline)
        {
            var (ran, _, threads) = Run(8 * GemmThreading.ThreadCount, spinTicks: spin);
            Assert.True(ran);
            helped = threads.Any(t => t != caller);
        }
        Assert.True(helped, "in 5 s of jobs no part ran on a helper thread");
    }

    [Fact]
    public void AFailingPartIsRethrownAndThePoolStaysUsable()
    {
        SkipOnOneCore();
        var error = Assert.Throws<InvalidOperationException>(() => Run(GemmThreading.ThreadCount, throwing: 1));
        Assert.Equal("part 1 failed", error.Message);
        var (ran, runs, _) = Run(GemmThreading.ThreadCount);
        Assert.True(ran);
        Assert.All(runs, n => Assert.Equal(1, n));
    }

    [Fact]
    public void CallersOnTwoThreadsEachGetTheirPartsRunOrAreToldToRunAlone()
    {
        SkipOnOneCore();
        int forked = 0, refused = 0;
        void Caller()
        {
            for (int i = 0; i < 2000; i++)
            {
                var (ran, runs, _) = Run(GemmThreading.ThreadCount);
                Assert.All(runs, n => Assert.Equal(ran ? 1 : 0, n));
                Interlocked.Increment(ref ran ? ref forked : ref refused);
            }
        }
        var other = new Thread(Caller);
        other.Start();
        Caller();
        other.Join();
        Assert.Equal(4000, forked + refused);
        Assert.True(forked > 0);
    }

    [Theory]
    [InlineData("one")]
    [InlineData("too many")]
    public void TooFewOrTooManyPartsAreRefused(string count)
    {
        int parts = count == "one" ? 1 : GemmThreading.MaxParts + 1;
        var (ran, runs, _) = Run(parts);
        Assert.False(ran);
        Assert.All(runs, n => Assert.Equal(0, n));
    }
}

/// <summary>
/// Run alone: the pool takes one job at a time, so a kernel test in another class running at the same moment
/// would make TryRun refuse (correctly) and these tests, which expect their jobs to fork, fail.
/// </summary>
[CollectionDefinition(DisableParallelization = true)]
public sealed class ForkJoinCollection;
