using System.Text.Json;
using System.Text.Json.Serialization;

namespace TfMnist.Predictor.Cli;

/// <summary>
/// What <c>--json</c> prints: one indented JSON document on stdout, properties in snake_case,
/// absent values left out, NaN and infinities as the strings <c>"NaN"</c>, <c>"Infinity"</c>
/// (a diverged tensor must still print). The schema is in the README.
/// </summary>
internal static class JsonOutput
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>Writes <paramref name="document"/> as one JSON document and a newline.</summary>
    public static void Write<T>(TextWriter writer, T document) => writer.WriteLine(JsonSerializer.Serialize(document, Options));

    /// <summary>The <c>--json</c> option, declared by each command that takes it.</summary>
    public static System.CommandLine.Option<bool> Option() => new("--json")
    {
        Description = "Print one JSON document (schema in the README) instead of text",
    };
}
