using System.Diagnostics;
using TfMnist.Data;

namespace TfMnist.Trainer;

/// <summary>How a training run talks to its user.</summary>
public interface IProgressReporter
{
    IProgress<DownloadProgress>? DownloadProgress { get; }
    void Info(string message);
    void Start(int totalSteps);
    void Step(int stepsDone, float lastAccuracy);
    void Evaluation(int step, float accuracy, double milliseconds, int printEvery);
    void Finish(int steps, float accuracy, TrainerOptions options, double seconds, bool interrupted);
}

/// <summary>
/// Console output: the original's lines (step, accuracy %, ms) and final summary; on a terminal
/// also a live status line (step, accuracy, steps/s, ETA), which is left out when output is piped.
/// </summary>
public sealed class ConsoleReporter(TextWriter output, bool interactive) : IProgressReporter
{
    private readonly Stopwatch _clock = new();
    private long _lastDraw;
    private int _total;
    private bool _statusShown;

    public IProgress<DownloadProgress>? DownloadProgress => new Progress<DownloadProgress>(p => Info(p.ToString()));

    public void Info(string message) => WriteLine(message);

    public void Start(int totalSteps)
    {
        _total = totalSteps;
        _clock.Restart();
    }

    public void Step(int stepsDone, float lastAccuracy)
    {
        if (!interactive) return;
        long now = _clock.ElapsedMilliseconds;
        if (now - _lastDraw < 200 && stepsDone < _total) return;
        _lastDraw = now;
        double rate = stepsDone / Math.Max(_clock.Elapsed.TotalSeconds, 1e-9);
        double eta = (_total - stepsDone) / Math.Max(rate, 1e-9);
        int width = 30;
        int filled = _total == 0 ? width : (int)((long)width * stepsDone / _total);
        output.Write($"\r[{new string('#', filled)}{new string('-', width - filled)}] step {stepsDone}/{_total}  accuracy {lastAccuracy * 100:F2}%  {rate:F0} steps/s  ETA {eta:F0} s   ");
        _statusShown = true;
    }

    public void Evaluation(int step, float accuracy, double milliseconds, int printEvery)
    {
        if (step % printEvery == 0)
            WriteLine($"step {step}: test accuracy {accuracy * 100:F2}% ({milliseconds:F1} ms)");
    }

    public void Finish(int steps, float accuracy, TrainerOptions options, double seconds, bool interrupted)
    {
        if (interrupted) WriteLine($"Interrupted after {steps} steps.");
        string dropout = options.UseDropout ? $"dropout on (keep_prob {options.KeepProb})" : "dropout off";
        WriteLine($"Final: steps {steps}, test accuracy {accuracy * 100:F2}%, learning rate {options.LearningRate}, hidden units {options.HiddenUnits}, {dropout}, {seconds:F2} s");
    }

    private void WriteLine(string line)
    {
        if (_statusShown)
        {
            output.Write("\r" + new string(' ', 110) + "\r");
            _statusShown = false;
        }
        output.WriteLine(line);
    }
}
