using System.Diagnostics;
using System.Text.RegularExpressions;

namespace TfMnist.EndToEnd.Commands;

/// <summary>Runs the Trainer or the Predictor as a user does (a new process, stdout and stderr piped).</summary>
internal static partial class ConsoleProcess
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr, long PeakRssKiB);

    public static ProcessStartInfo StartInfo(string program, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, program + ".dll"));
        foreach (string a in args) start.ArgumentList.Add(a);
        return start;
    }

    /// <summary>Runs to the end; the peak resident set (VmHWM) is sampled from /proc while it runs.</summary>
    public static Result Run(string program, params string[] args)
    {
        using var process = Process.Start(StartInfo(program, args))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        long peak = 0;
        var deadline = Stopwatch.StartNew();
        while (!process.WaitForExit(20))
        {
            peak = Math.Max(peak, ReadVmHwmKiB(process.Id));
            if (deadline.Elapsed > TimeSpan.FromMinutes(2))
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail($"{program} {string.Join(' ', args)} did not finish in 2 minutes.");
            }
        }
        process.WaitForExit();
        return new Result(process.ExitCode, stdout.Result, stderr.Result, peak);
    }

    /// <summary>VmHWM of a live process in KiB (0 once it has gone).</summary>
    public static long ReadVmHwmKiB(int pid)
    {
        try
        {
            foreach (string line in File.ReadLines($"/proc/{pid}/status"))
                if (line.StartsWith("VmHWM:")) return long.Parse(VmLine().Match(line).Groups[1].Value);
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return 0;
    }

    public static void Signal(int pid, string signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", pid.ToString()])!;
        kill.WaitForExit();
    }

    /// <summary>The lines of stderr, without a trailing empty one.</summary>
    public static string[] Lines(string text) => text.TrimEnd('\n', '\r').Split('\n').Select(l => l.TrimEnd('\r')).ToArray();

    [GeneratedRegex(@"(\d+)\s*kB")]
    private static partial Regex VmLine();
}
