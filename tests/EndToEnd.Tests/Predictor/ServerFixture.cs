using Microsoft.AspNetCore.Builder;
using TfMnist.Predictor.Web;

namespace TfMnist.EndToEnd.Predictor;

/// <summary>The real server on an ephemeral 127.0.0.1 port, with the template classifier (recorded).</summary>
public sealed class ServerFixture : IAsyncLifetime
{
    private WebApplication? _app;

    public RecordingClassifier Classifier { get; } = new(TestData.Classifier);
    public Uri Url { get; private set; } = null!;
    public HttpClient Http { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        _app = PredictorServer.Build(Classifier, port: 0);
        await _app.StartAsync();
        Url = PredictorServer.GetUrl(_app);
        Http = new HttpClient { BaseAddress = Url, Timeout = TimeSpan.FromSeconds(30) };
    }

    public async ValueTask DisposeAsync()
    {
        Http?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
