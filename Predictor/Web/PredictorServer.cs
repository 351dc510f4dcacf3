using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;

namespace TfMnist.Predictor.Web;

/// <summary>
/// The web app: the drawing page (embedded wwwroot: <c>/</c> → <c>/ocr.html</c>) and
/// <c>POST /api/predict</c>. Bound to 127.0.0.1 unless another address is given; answers only
/// requests whose Host names it (<see cref="HostGuard"/>) and takes JSON only.
/// </summary>
public static class PredictorServer
{
    private const string ResourcePrefix = "TfMnist.Predictor.wwwroot";

    /// <summary>
    /// Builds (does not start) the app. <paramref name="classifier"/> is a singleton shared by all
    /// requests and must be thread-safe (see <see cref="IDigitClassifier"/>).
    /// </summary>
    /// <param name="port">TCP port on 127.0.0.1; 0 picks a free one (read it with <see cref="GetUrl"/> after start).</param>
    /// <param name="consoleLogging">Log warnings and errors to the console (the <c>serve</c> command); off for tests.</param>
    /// <param name="host">The address to listen on; 127.0.0.1 when null.</param>
    public static WebApplication Build(IDigitClassifier classifier, int port, bool consoleLogging = false, System.Net.IPAddress? host = null)
    {
        host ??= System.Net.IPAddress.Loopback;
        ArgumentNullException.ThrowIfNull(classifier);
        ArgumentOutOfRangeException.ThrowIfNegative(port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535);

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(PredictorServer).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = Environments.Production,
        });
        builder.Logging.ClearProviders();
        if (consoleLogging)
        {
            builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            // A failed start (port in use) is reported by serve as one line; the host's own
            // error log would print Kestrel's stack trace before it.
            builder.Logging.AddFilter("Microsoft.Extensions.Hosting", LogLevel.None);
        }
        // serve takes SIGINT/SIGTERM itself; the host must not swallow them.
        builder.Services.AddSingleton<IHostLifetime, PassiveLifetime>();
        builder.WebHost.UseKestrel(k =>
        {
            k.Listen(host, port);
            k.Limits.MaxRequestBodySize = 1024 * 1024; // hard cap; /api/predict enforces 64 KiB itself
            k.AddServerHeader = false;
        });
        builder.Services.AddSingleton(classifier);

        var app = builder.Build();
        var hosts = new HostGuard(host);
        app.Use(async (context, next) =>
        {
            if (!hosts.Allows(context.Request.Host))
            {
                // DNS rebinding: a page from another site reaching us under its own name.
                await JsonError(StatusCodes.Status400BadRequest,
                    $"Host '{context.Request.Host}' is not this server; use {Authority(host, port)} or localhost").ExecuteAsync(context);
                return;
            }
            await next(context);
        });
        var files = new EmbeddedFileProvider(typeof(PredictorServer).Assembly, ResourcePrefix);
        app.Use(async (context, next) =>
        {
            context.Response.Headers.XContentTypeOptions = "nosniff";
            context.Response.Headers["Referrer-Policy"] = "no-referrer";
            if (!context.Request.Path.StartsWithSegments("/api"))
                context.Response.Headers.ContentSecurityPolicy = "default-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";
            await next(context);
        });
        app.MapGet("/", () => Results.Redirect("/ocr.html"));
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            ContentTypeProvider = new FileExtensionContentTypeProvider(),
            OnPrepareResponse = c => c.Context.Response.Headers.CacheControl = "no-cache",
        });

        app.MapGet("/api/health", () => Results.Json(new { status = "ok" }));
        app.MapPost("/api/predict", HandlePredictAsync);
        app.MapFallback("/api/{**rest}", () => JsonError(StatusCodes.Status404NotFound, "no such endpoint; use POST /api/predict"));
        return app;
    }

    /// <summary>The URL the started app actually listens on, e.g. <c>http://127.0.0.1:45017</c>.</summary>
    public static Uri GetUrl(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses;
        string? first = addresses?.FirstOrDefault();
        if (first is null)
            throw new InvalidOperationException("The server has no address yet; call StartAsync first.");
        return new Uri(first);
    }

    /// <summary><c>127.0.0.1:8000</c>, or <c>[::1]:8000</c> for IPv6.</summary>
    public static string Authority(System.Net.IPAddress address, int port) =>
        address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]:{port}" : $"{address}:{port}";

    private static async Task<IResult> HandlePredictAsync(HttpContext context, IDigitClassifier classifier)
    {
        var request = context.Request;
        // JSON only: a cross-site form or text/plain post (no CORS preflight) is refused unread.
        if (!request.HasJsonContentType())
            return JsonError(StatusCodes.Status415UnsupportedMediaType,
                $"Content-Type must be application/json (got {(string.IsNullOrEmpty(request.ContentType) ? "none" : $"'{request.ContentType}'")})");
        if (request.ContentLength > PredictRequestParser.MaxBodyBytes)
            return TooLarge(request.ContentLength.Value);

        // Read at most 64 KiB + 1 byte, whatever Content-Length says (chunked bodies have none).
        var buffer = new byte[PredictRequestParser.MaxBodyBytes + 1];
        int total = 0;
        try
        {
            while (total < buffer.Length)
            {
                int n = await request.Body.ReadAsync(buffer.AsMemory(total), context.RequestAborted);
                if (n == 0) break;
                total += n;
            }
        }
        catch (BadHttpRequestException e)
        {
            return JsonError(StatusCodes.Status400BadRequest, $"could not read the request body: {e.Message}");
        }
        if (total > PredictRequestParser.MaxBodyBytes)
            return TooLarge(null);

        if (!PredictRequestParser.TryParse(buffer.AsSpan(0, total), out float[] pixels, out string error))
            return JsonError(StatusCodes.Status400BadRequest, error);

        DigitPrediction prediction;
        try
        {
            prediction = classifier.Predict(pixels);
        }
        catch (Exception e)
        {
            context.RequestServices.GetService<ILoggerFactory>()?.CreateLogger("Predictor").LogError(e, "Classifier failed");
            return JsonError(StatusCodes.Status500InternalServerError, "the classifier failed: " + e.Message);
        }
        return Results.Json(new PredictResponse(prediction.Digit, prediction.Probabilities), s_json);
    }

    private static IResult TooLarge(long? length) => JsonError(StatusCodes.Status400BadRequest,
        $"body is too large{(length is null ? "" : $" ({length} bytes)")}; at most {PredictRequestParser.MaxBodyBytes} bytes (64 KiB) are accepted");

    private static IResult JsonError(int status, string message) =>
        Results.Json(new ErrorResponse(message), s_json, statusCode: status);

    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);

    /// <summary>Response of <c>POST /api/predict</c>.</summary>
    public sealed record PredictResponse(int Digit, float[] Probabilities);

    /// <summary>Response body of every error.</summary>
    public sealed record ErrorResponse(string Error);
}
