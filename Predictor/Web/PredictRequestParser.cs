using System.Text.Json;

namespace TfMnist.Predictor.Web;

/// <summary>
/// Validates the body of <c>POST /api/predict</c>: <c>{"pixels":[784 numbers in 0..1]}</c>.
/// Every failure comes back as one sentence saying what is wrong, for the 400 response.
/// </summary>
public static class PredictRequestParser
{
    public const int MaxBodyBytes = 64 * 1024;

    public static bool TryParse(ReadOnlySpan<byte> body, out float[] pixels, out string error)
    {
        pixels = [];
        if (body.IsEmpty)
        {
            error = "empty body; expected JSON {\"pixels\":[784 numbers in 0..1]}";
            return false;
        }
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(body.ToArray(), new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (JsonException e)
        {
            error = $"body is not valid JSON ({FirstSentence(e.Message)}); expected {{\"pixels\":[784 numbers in 0..1]}}";
            return false;
        }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                error = $"body must be a JSON object {{\"pixels\":[...]}}, got {Kind(root.ValueKind)}";
                return false;
            }
            if (!root.TryGetProperty("pixels", out var array))
            {
                error = "missing \"pixels\": expected {\"pixels\":[784 numbers in 0..1]}";
                return false;
            }
            if (array.ValueKind != JsonValueKind.Array)
            {
                error = $"\"pixels\" must be an array of 784 numbers, got {Kind(array.ValueKind)}";
                return false;
            }
            int length = array.GetArrayLength();
            if (length != DigitPrediction.PixelCount)
            {
                error = $"\"pixels\" must have exactly {DigitPrediction.PixelCount} values (28x28), got {length}";
                return false;
            }
            var result = new float[length];
            int i = 0;
            foreach (var item in array.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.Number)
                {
                    error = $"pixels[{i}] must be a number in 0..1, got {Kind(item.ValueKind)}";
                    return false;
                }
                if (!item.TryGetDouble(out double v) || !double.IsFinite(v))
                {
                    error = $"pixels[{i}] is not a finite number";
                    return false;
                }
                if (v < 0 || v > 1)
                {
                    error = $"pixels[{i}] = {v.ToString(System.Globalization.CultureInfo.InvariantCulture)} is outside 0..1";
                    return false;
                }
                result[i++] = (float)v;
            }
            pixels = result;
            error = "";
            return true;
        }
    }

    private static string Kind(JsonValueKind kind) => kind switch
    {
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => kind.ToString(),
    };

    private static string FirstSentence(string message)
    {
        int dot = message.IndexOf(". ", StringComparison.Ordinal);
        return (dot > 0 ? message[..dot] : message).TrimEnd('.');
    }
}
