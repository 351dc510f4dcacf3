using TfMnist.Runtime;

namespace TfMnist.Tests.Runtime;

/// <summary>Auto scheduling times both ways alternately and keeps the faster.</summary>
public class ScheduleChooserTests
{
    /// <summary>Runs the chooser through warm-up and its samples with fixed costs per mode.</summary>
    private static (int Parallel, int InOrder) Calibrate(ScheduleChooser chooser, long parallelTicks, long inOrderTicks, bool poolFree = true)
    {
        int parallel = 0, inOrder = 0;
        for (int run = 0; run < 100; run++)
        {
            bool wantsParallel = chooser.ChooseParallel(out bool measuring);
            bool ran = wantsParallel && poolFree;
            if (ran) parallel++; else inOrder++;
            if (measuring) chooser.Record(ran, ran ? parallelTicks : inOrderTicks);
        }
        return (parallel, inOrder);
    }

    [Fact]
    public void KeepsInOrderWhenParallelIsSlower()
    {
        var chooser = new ScheduleChooser();
        Calibrate(chooser, parallelTicks: 120, inOrderTicks: 100);
        Assert.False(chooser.ChooseParallel(out bool measuring));
        Assert.False(measuring);
    }

    [Fact]
    public void KeepsParallelWhenItIsFaster()
    {
        var chooser = new ScheduleChooser();
        var (parallel, inOrder) = Calibrate(chooser, parallelTicks: 80, inOrderTicks: 100);
        Assert.True(chooser.ChooseParallel(out bool measuring));
        Assert.False(measuring);
        // Both ways were tried while measuring, then parallel for the rest.
        Assert.True(inOrder >= 8 && parallel > inOrder);
    }

    [Fact]
    public void ABusyPoolMeansInOrder()
    {
        var chooser = new ScheduleChooser();
        Calibrate(chooser, parallelTicks: 1, inOrderTicks: 100, poolFree: false);
        Assert.False(chooser.ChooseParallel(out _));
    }
}
