namespace TfMnist.Predictor.Web;

/// <summary>
/// A host lifetime that registers no signal handlers: the <c>serve</c> command owns SIGINT and
/// SIGTERM (the default console lifetime would take them and only stop the host, leaving the
/// command waiting), and tests own their servers.
/// </summary>
internal sealed class PassiveLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
