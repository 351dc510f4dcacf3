using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace TfMnist.Tests.Data;

internal enum ServeMode
{
    /// <summary>200 with a correct Content-Length.</summary>
    Whole,

    /// <summary>Announces the full length, sends half, hangs up: a dropped connection.</summary>
    CutOff,

    /// <summary>No Content-Length; the body ends when the connection closes, whatever its size.</summary>
    UntilClose,

    /// <summary>Announces the full length, sends half, then goes silent without closing.</summary>
    Stall,
}

/// <summary>
/// A deliberately tiny HTTP/1.1 server on 127.0.0.1 so downloads can be tested against real
/// sockets, including the misbehaviours HttpListener will not produce (cut-off and stalled bodies).
/// Paths not registered with <see cref="Serve"/> get a 404.
/// </summary>
internal sealed class LocalHttpServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<string, (byte[] Body, ServeMode Mode)> _routes = new();
    private readonly Task _acceptLoop;

    public LocalHttpServer()
    {
        _listener.Start();
        _acceptLoop = Task.Run(AcceptLoop);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public ConcurrentQueue<string> RequestedPaths { get; } = new();

    /// <summary>Base URL of a "mirror": a path prefix under which files are registered.</summary>
    public string Mirror(string name) => $"http://127.0.0.1:{Port}/{name}/";

    public void Serve(string mirror, string fileName, byte[] body, ServeMode mode = ServeMode.Whole) =>
        _routes[$"/{mirror}/{fileName}"] = (body, mode);

    /// <summary>A loopback URL on which nothing listens, for "no network" cases.</summary>
    public static string DeadMirror()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return $"http://127.0.0.1:{port}/mnist/";
    }

    private async Task AcceptLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException) { return; }
            _ = Task.Run(() => Handle(client));
        }
    }

    private async Task Handle(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                string path = await ReadRequestPath(stream);
                RequestedPaths.Enqueue(path);
                if (!_routes.TryGetValue(path, out var route))
                {
                    await Write(stream, "HTTP/1.1 404 Not Found\r\nContent-Length: 9\r\nConnection: close\r\n\r\nnot found");
                    return;
                }

                var (body, mode) = route;
                string length = mode == ServeMode.UntilClose ? "" : $"Content-Length: {body.Length}\r\n";
                await Write(stream, $"HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n{length}Connection: close\r\n\r\n");
                int sent = mode is ServeMode.CutOff or ServeMode.Stall ? body.Length / 2 : body.Length;
                await stream.WriteAsync(body.AsMemory(0, sent), _stop.Token);
                await stream.FlushAsync(_stop.Token);
                if (mode == ServeMode.Stall) await Task.Delay(Timeout.Infinite, _stop.Token);
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or SocketException or ObjectDisposedException)
            {
                // The client hung up or the test is over; either way this connection is done.
            }
        }
    }

    private static async Task<string> ReadRequestPath(NetworkStream stream)
    {
        // Read byte by byte up to the blank line: requests are tiny and this never over-reads.
        var header = new StringBuilder();
        var one = new byte[1];
        while (!header.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            if (await stream.ReadAsync(one) == 0) break;
            header.Append((char)one[0]);
        }
        string[] requestLine = header.ToString().Split("\r\n")[0].Split(' ');
        return requestLine.Length > 1 ? requestLine[1] : "";
    }

    private Task Write(NetworkStream stream, string text) =>
        stream.WriteAsync(Encoding.ASCII.GetBytes(text), _stop.Token).AsTask();

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _acceptLoop.Wait(TimeSpan.FromSeconds(5));
        _stop.Dispose();
    }
}
