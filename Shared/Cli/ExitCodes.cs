namespace TfMnist.Cli;

/// <summary>
/// The exit codes of the Trainer and the Predictor (one table, in the README): 0 success, 1 error
/// (bad input, data, model or I/O), 2 usage (bad options or arguments), 3 training diverged,
/// 130 interrupted by SIGINT (Ctrl+C), 143 by SIGTERM (128 + the signal number, as shells report).
/// <c>Predictor inspect</c> follows diff(1) instead: 0 equal (or done), 1 different, 2 any error.
/// </summary>
public static class ExitCodes
{
    public const int Ok = 0;
    public const int Error = 1;
    public const int Usage = 2;

    /// <summary><c>inspect diff</c>: the two files differ in structure (as diff(1) says "different").</summary>
    public const int Different = 1;

    /// <summary>Every <c>inspect</c> failure, bad options or unreadable input alike (as diff(1) says "trouble").</summary>
    public const int InspectTrouble = 2;
    public const int Diverged = 3;
    public const int Interrupted = 130;
    public const int Terminated = 143;
}

/// <summary>A bad option or argument value found after parsing (exit code 2).</summary>
public sealed class UsageException(string message) : Exception(message);

/// <summary>
/// Reports a failure as one line on stderr, <c>error: MESSAGE</c>, with the stack trace only under
/// <c>--verbose</c>. Wrapper exceptions (a parallel loop's AggregateException) are unwrapped so
/// the line says what went wrong.
/// </summary>
public static class ErrorReport
{
    public static int Write(TextWriter stderr, Exception exception, bool verbose, string prefix = "")
    {
        ArgumentNullException.ThrowIfNull(stderr);
        var e = Unwrap(exception);
        stderr.WriteLine($"error: {prefix}{OneLine(e.Message)}");
        if (verbose) stderr.WriteLine(exception.ToString());
        return e is UsageException ? ExitCodes.Usage : ExitCodes.Error;
    }

    public static Exception Unwrap(Exception e)
    {
        while (true)
        {
            switch (e)
            {
                case AggregateException { InnerExceptions.Count: > 0 } a:
                    e = a.InnerExceptions[0];
                    continue;
                case System.Reflection.TargetInvocationException { InnerException: { } inner }:
                    e = inner;
                    continue;
                default:
                    return e;
            }
        }
    }

    /// <summary>Line breaks folded into spaces and control characters (NULs from decoders) dropped.</summary>
    public static string OneLine(string message)
    {
        var sb = new System.Text.StringBuilder(message.Length);
        bool space = false;
        foreach (char c in message.Trim())
        {
            if (c is '\n' or '\r' or '\t') { space = true; continue; }
            if (char.IsControl(c)) continue;
            if (space) { if (sb.Length > 0 && sb[^1] != ' ') sb.Append(' '); space = false; }
            sb.Append(c);
        }
        return sb.ToString();
    }

    /// <summary>True when the arguments ask for stack traces (before or after parsing).</summary>
    public static bool IsVerbose(IEnumerable<string> args) => args.Contains("--verbose");
}
