using System.Net;
using System.Text;
using TfMnist.Predictor.Web;

namespace TfMnist.EndToEnd.Predictor;

/// <summary>
/// The API takes application/json only (a cross-origin form post cannot send it without a
/// preflight) and answers only requests whose Host names the server (DNS rebinding).
/// </summary>
public class ApiGuardTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private static string Body => "{\"pixels\":[" + string.Join(",", Enumerable.Repeat("0", 784)) + "]}";

    private async Task<HttpStatusCode> PostAsync(string? contentType, string? host = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/predict") { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(Body)) };
        if (contentType is not null) request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        if (host is not null) request.Headers.Host = host;
        using var response = await server.Http.SendAsync(request, TestContext.Current.CancellationToken);
        return response.StatusCode;
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("multipart/form-data; boundary=x")]
    [InlineData(null)]
    public async Task OtherContentTypesAre415(string? contentType) =>
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, await PostAsync(contentType));

    [Theory]
    [InlineData("application/json")]
    [InlineData("application/json; charset=utf-8")]
    public async Task JsonIsAccepted(string contentType) =>
        Assert.Equal(HttpStatusCode.OK, await PostAsync(contentType));

    [Theory]
    [InlineData("localhost")]
    [InlineData("127.0.0.1")]
    [InlineData("[::1]")]
    public async Task LoopbackHostsAreAccepted(string host) =>
        Assert.Equal(HttpStatusCode.OK, await PostAsync("application/json", $"{host}:{server.Url.Port}"));

    [Theory]
    [InlineData("evil.example")]
    [InlineData("evil.example:80")]
    [InlineData("localhost.evil.example")]
    [InlineData("192.168.1.20")]
    public async Task OtherHostsAreRefused(string host)
    {
        Assert.Equal(HttpStatusCode.BadRequest, await PostAsync("application/json", host));
        using var request = new HttpRequestMessage(HttpMethod.Get, "ocr.html");
        request.Headers.Host = host;
        using var page = await server.Http.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
    }

    [Fact]
    public async Task ServingOnAnotherAddressAcceptsThatAddressAsHost()
    {
        await using var app = PredictorServer.Build(TestData.Classifier, port: 0, host: IPAddress.Parse("127.0.0.2"));
        await app.StartAsync(TestContext.Current.CancellationToken);
        var url = PredictorServer.GetUrl(app);
        Assert.Equal("127.0.0.2", url.Host);
        using var http = new HttpClient { BaseAddress = url };
        using var content = new StringContent(Body, Encoding.UTF8, "application/json");
        using var response = await http.PostAsync("api/predict", content, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await app.StopAsync(TestContext.Current.CancellationToken);
    }
}
