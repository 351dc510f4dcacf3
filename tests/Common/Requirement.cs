namespace TfMnist.Testing;

/// <summary>
/// What a test needs from the machine (a file, a program, the OS). Missing, the test skips with
/// the reason; under CI=true it fails with it instead, so a CI run cannot pass without its
/// strongest evidence (browser tests, files written by real TensorFlow).
/// </summary>
public static class Requirement
{
    public static bool InCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Skips (or, under CI=true, fails) the calling test; never returns.</summary>
    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    public static void Missing(string reason)
    {
        if (InCi) Assert.Fail($"CI=true and a requirement is missing: {reason}");
        Assert.Skip(reason);
    }

    /// <summary><see cref="Missing(string)"/> in expression position: <c>x ?? Requirement.Missing&lt;T&gt;(why)</c>.</summary>
    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    public static T Missing<T>(string reason)
    {
        Missing(reason);
        throw new InvalidOperationException("unreachable");
    }

    public static void Linux(string why)
    {
        if (!OperatingSystem.IsLinux()) Missing($"needs Linux: {why}");
    }
}
