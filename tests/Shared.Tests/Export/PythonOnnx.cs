using System.Diagnostics;

namespace TfMnist.Tests.Export;

/// <summary>
/// Debian's python3-onnx (1.12) run by /usr/bin/python3 (a pyenv python on PATH lacks the package).
/// Missing, the calling test skips with the reason, or fails under CI=true (.ci/run installs it).
/// </summary>
internal static class PythonOnnx
{
    public const string Python = "/usr/bin/python3";

    /// <summary>Runs <paramref name="script"/> with <paramref name="args"/>; returns exit code, stdout and stderr.</summary>
    public static (int ExitCode, string Stdout, string Stderr) Run(string script, params string[] args)
    {
        if (!File.Exists(Python)) Requirement.Missing($"{Python} not found (apt-get install python3-onnx)");
        var (probe, _, _) = Start("import onnx", []);
        if (probe != 0) Requirement.Missing($"{Python} cannot import onnx (apt-get install python3-onnx)");
        return Start(script, args);
    }

    private static (int, string, string) Start(string script, string[] args)
    {
        var info = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(script);
        foreach (string a in args) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill();
            Assert.Fail($"{Python} did not finish within 2 minutes");
        }
        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
