using System.CommandLine;
using System.Net;
using System.Runtime.InteropServices;
using TfMnist.Cli;
using TfMnist.Predictor.Web;

namespace TfMnist.Predictor.Cli;

/// <summary>
/// <c>serve</c>: the page and the API until SIGINT (Ctrl+C) or SIGTERM. The signals are taken
/// here, not left to the host's console lifetime or the parser, so they stop the server whatever
/// stdout is (a terminal, a pipe, a file).
/// </summary>
internal sealed class ServeCommand : Command
{
    private readonly CommandContext _context;
    private readonly ModelCommandOptions _model;

    public ServeCommand(CommandContext context)
        : base("serve", "Serve the drawing page and POST /api/predict on http://ADDRESS:PORT/")
    {
        _context = context;
        var port = new Option<string>("--port")
        {
            Description = "TCP port (0 picks a free one)",
            DefaultValueFactory = _ => "8000",
        };
        port.Validators.Add(r =>
        {
            string text = r.Tokens.Count > 0 ? r.Tokens[^1].Value : "8000";
            if (!int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int v) || v > 65535)
                r.AddError($"--port {text} is outside 0..65535");
        });
        var host = new Option<string>("--host")
        {
            Description = "IP address to listen on: 127.0.0.1 (this machine only), or e.g. 0.0.0.0 or this machine's LAN address so a phone on the same network can draw",
            DefaultValueFactory = _ => "127.0.0.1",
            HelpName = "ADDRESS",
        };
        host.Validators.Add(r =>
        {
            string text = r.Tokens.Count > 0 ? r.Tokens[^1].Value : "127.0.0.1";
            if (!IPAddress.TryParse(text.Trim('[', ']'), out _))
                r.AddError($"--host {text} is not an IP address (e.g. 127.0.0.1, 0.0.0.0, 192.168.1.20, ::1)");
        });
        Add(port);
        Add(host);
        _model = ModelCommandOptions.AddTo(this);
        SetAction((p, ct) => ServeAsync(p, int.Parse(p.GetValue(port)!, System.Globalization.CultureInfo.InvariantCulture),
            IPAddress.Parse(p.GetValue(host)!.Trim('[', ']')), ct));
    }

    private async Task<int> ServeAsync(ParseResult p, int port, IPAddress address, CancellationToken ct)
    {
        var classifier = _model.LoadClassifier(p, _context);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        void OnSignal(PosixSignalContext context)
        {
            context.Cancel = true; // stop gracefully instead of the runtime's default termination
            stop.Cancel();
        }
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);

        await using var app = PredictorServer.Build(classifier, port, consoleLogging: true, host: address);
        try
        {
            await app.StartAsync(stop.Token);
        }
        catch (IOException e)
        {
            throw new IOException($"cannot listen on {PredictorServer.Authority(address, port)}: {e.Message}", e);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return ExitCodes.Ok;
        }
        Uri url = PredictorServer.GetUrl(app);
        _context.Out.WriteLine($"Serving the drawing page at {url}ocr.html — POST {url}api/predict. Ctrl+C stops.");
        _context.Out.Flush();
        // The host's own lifetime may also see a signal; either way ends the wait.
        using (app.Lifetime.ApplicationStopping.Register(stop.Cancel))
        {
            try
            {
                await Task.Delay(Timeout.Infinite, stop.Token);
            }
            catch (OperationCanceledException)
            {
            }
        }
        using var deadline = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
        await app.StopAsync(deadline.Token);
        return ExitCodes.Ok;
    }
}
