using System.Net.Http.Json;
using System.Text.Json;
using TfMnist.Data;
using TfMnist.Predictor;
using TfMnist.Predictor.Web;

namespace TfMnist.EndToEnd;

/// <summary>The page's API served by the restored, trained network, under concurrent requests.</summary>
[Collection(TrainingCollection.Name)]
public class RealModelServerTests(TrainingFixture fixture)
{
    [Fact]
    public async Task ConcurrentRequestsGetTheRestoredNetworksAnswers()
    {
        var (options, _) = fixture.Require();
        var ct = TestContext.Current.CancellationToken;
        using var classifier = new CheckpointClassifier(new ModelOptions(options.ModelDir));
        var test = MnistDataSets.ReadDataSets(options.DataDir, validationSize: 0, cancellation: ct).Test;
        await using var app = PredictorServer.Build(classifier, 0);
        await app.StartAsync(ct);
        using var http = new HttpClient { BaseAddress = PredictorServer.GetUrl(app) };

        var requests = Enumerable.Range(0, 64).Select(async i =>
        {
            var pixels = test.Image(i).ToArray();
            using var response = await http.PostAsJsonAsync("api/predict", new { pixels }, ct);
            response.EnsureSuccessStatusCode();
            var body = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
            return (i, Digit: body.GetProperty("digit").GetInt32());
        });
        var answers = await Task.WhenAll(requests);
        foreach (var (i, digit) in answers)
            Assert.Equal(classifier.Predict(test.Image(i)).Digit, digit);
        Assert.True(answers.Count(a => a.Digit == test.Labels[a.i]) >= 40, "the trained network should name most test digits");
        await app.StopAsync(ct);
    }
}
