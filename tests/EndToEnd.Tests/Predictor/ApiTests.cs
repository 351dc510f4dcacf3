using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace TfMnist.EndToEnd.Predictor;

public class ApiTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private static string PixelsJson(IEnumerable<float> pixels) =>
        "{\"pixels\":[" + string.Join(",", pixels.Select(v => v.ToString("R", CultureInfo.InvariantCulture))) + "]}";

    private async Task<(HttpStatusCode Status, JsonElement Body, string? MediaType)> PostAsync(HttpContent content)
    {
        using var response = await server.Http.PostAsync("api/predict", content, TestContext.Current.CancellationToken);
        string text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return (response.StatusCode, JsonDocument.Parse(text).RootElement.Clone(), response.Content.Headers.ContentType?.MediaType);
    }

    private Task<(HttpStatusCode Status, JsonElement Body, string? MediaType)> PostAsync(string body) =>
        PostAsync(new StringContent(body, Encoding.UTF8, "application/json"));

    private async Task AssertStillServingAsync()
    {
        var (status, body, _) = await PostAsync(PixelsJson(TestData.TestImages.GetImage(0)));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(TestData.Classifier.Predict(TestData.TestImages.GetImage(0)).Digit, body.GetProperty("digit").GetInt32());
    }

    [Fact]
    public async Task Predict_ReturnsDigitAndTenProbabilities_LikeADirectCall()
    {
        float[] image = TestData.TestImages.GetImage(0);
        var expected = TestData.Classifier.Predict(image);

        var (status, body, mediaType) = await PostAsync(PixelsJson(image));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("application/json", mediaType);
        Assert.Equal(expected.Digit, body.GetProperty("digit").GetInt32());
        Assert.Equal(TestData.TestLabels[0], body.GetProperty("digit").GetInt32()); // t10k[0] is a 7 and the template gets it
        float[] probabilities = body.GetProperty("probabilities").EnumerateArray().Select(e => e.GetSingle()).ToArray();
        Assert.Equal(expected.Probabilities, probabilities);
        Assert.Equal(1.0, probabilities.Sum(), 1e-4);
    }

    public static TheoryData<string, string, string> BadBodies()
    {
        string ok = string.Join(",", Enumerable.Repeat("0", 784));
        string With(int index, string value) =>
            "{\"pixels\":[" + string.Join(",", Enumerable.Range(0, 784).Select(i => i == index ? value : "0")) + "]}";
        return new()
        {
            { "not JSON", "pixels please", "not valid JSON" },
            { "truncated JSON", "{\"pixels\":[0,0,", "not valid JSON" },
            { "empty body", "", "empty body" },
            { "array instead of object", "[" + ok + "]", "must be a JSON object" },
            { "missing pixels", "{\"pixel\":[" + ok + "]}", "missing \"pixels\"" },
            { "pixels not an array", "{\"pixels\":\"0,0,0\"}", "\"pixels\" must be an array of 784 numbers, got a string" },
            { "pixels null", "{\"pixels\":null}", "got null" },
            { "783 values", "{\"pixels\":[" + ok[2..] + "]}", "exactly 784 values (28x28), got 783" },
            { "785 values", "{\"pixels\":[" + ok + ",0]}", "exactly 784 values (28x28), got 785" },
            { "no values", "{\"pixels\":[]}", "got 0" },
            { "a string value", With(17, "\"0.5\""), "pixels[17] must be a number in 0..1, got a string" },
            { "\"NaN\" as a string", With(3, "\"NaN\""), "pixels[3] must be a number in 0..1, got a string" },
            { "bare NaN token", With(3, "NaN"), "not valid JSON" },
            { "null value", With(5, "null"), "pixels[5] must be a number in 0..1, got null" },
            { "nested array", With(6, "[1]"), "pixels[6] must be a number in 0..1, got an array" },
            { "above 1", With(100, "1.5"), "pixels[100] = 1.5 is outside 0..1" },
            { "below 0", With(783, "-0.01"), "pixels[783] = -0.01 is outside 0..1" },
            { "overflowing number", With(0, "1e400"), "pixels[0] is not a finite number" },
            { "boolean", With(1, "true"), "got a boolean" },
        };
    }

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task BadInput_Is400WithAnErrorMessage_AndTheServerKeepsServing(string why, string body, string expectedInError)
    {
        var (status, json, mediaType) = await PostAsync(body);
        Assert.True(status == HttpStatusCode.BadRequest, $"{why}: status {status}");
        Assert.Equal("application/json", mediaType);
        string error = json.GetProperty("error").GetString()!;
        Assert.Contains(expectedInError, error);
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task BodyOver64KiB_WithContentLength_Is400()
    {
        string padding = new(' ', 70 * 1024);
        var (status, json, _) = await PostAsync("{\"pixels\":[" + string.Join(",", Enumerable.Repeat("0", 784)) + "]" + padding + "}");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("too large", json.GetProperty("error").GetString());
        Assert.Contains("64 KiB", json.GetProperty("error").GetString());
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task BodyOver64KiB_Chunked_Is400()
    {
        var content = new StreamContent(new NonSeekableStream(new byte[100 * 1024]));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/predict") { Content = content };
        request.Headers.TransferEncodingChunked = true;
        using var response = await server.Http.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        string text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains("too large", JsonDocument.Parse(text).RootElement.GetProperty("error").GetString());
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task PageAndAssets_AreServed()
    {
        var ct = TestContext.Current.CancellationToken;
        using var root = await server.Http.GetAsync("/", ct);
        Assert.Equal(HttpStatusCode.OK, root.StatusCode); // redirect followed
        Assert.EndsWith("/ocr.html", root.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Equal("text/html", root.Content.Headers.ContentType?.MediaType);
        string html = await root.Content.ReadAsStringAsync(ct);
        foreach (string hook in new[] { "pad", "predict", "clear", "digit", "mode-grid", "mode-pen", "probabilities" })
            Assert.Contains($"data-testid=\"{hook}\"", html);
        Assert.DoesNotContain("http://", html.Replace("http://127.0.0.1", ""));
        Assert.DoesNotContain("https://", html);

        using var js = await server.Http.GetAsync("ocr.js", ct);
        Assert.Equal(HttpStatusCode.OK, js.StatusCode);
        Assert.Contains("javascript", js.Content.Headers.ContentType?.MediaType);
        using var css = await server.Http.GetAsync("ocr.css", ct);
        Assert.Equal("text/css", css.Content.Headers.ContentType?.MediaType);

        using var missing = await server.Http.GetAsync("api/nothing", ct);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Contains("POST /api/predict", await missing.Content.ReadAsStringAsync(ct));
    }

    [Fact]
    public async Task ConcurrentRequests_AreAllAnsweredLikeDirectCalls()
    {
        const int Requests = 200;
        var expected = Enumerable.Range(0, Requests).Select(i => TestData.Classifier.Predict(TestData.TestImages.GetImage(i))).ToArray();
        var answers = new (int Digit, float[] Probabilities)[Requests];

        await Parallel.ForAsync(0, Requests, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = TestContext.Current.CancellationToken }, async (i, ct) =>
        {
            using var content = new StringContent(PixelsJson(TestData.TestImages.GetImage(i)), Encoding.UTF8, "application/json");
            using var response = await server.Http.PostAsync("api/predict", content, ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct)).RootElement;
            answers[i] = (body.GetProperty("digit").GetInt32(), body.GetProperty("probabilities").EnumerateArray().Select(e => e.GetSingle()).ToArray());
        });

        for (int i = 0; i < Requests; i++)
        {
            Assert.Equal(expected[i].Digit, answers[i].Digit);
            Assert.Equal(expected[i].Probabilities, answers[i].Probabilities);
        }
        // The template classifier is a real one: most of these are right.
        int correct = Enumerable.Range(0, Requests).Count(i => answers[i].Digit == TestData.TestLabels[i]);
        Assert.True(correct >= 140, $"template classifier got {correct}/{Requests}");
    }

    /// <summary>Forces HttpClient to send without Content-Length.</summary>
    private sealed class NonSeekableStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
    }
}
