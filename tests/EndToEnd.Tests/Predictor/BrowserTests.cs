using System.Text.Json;
using Microsoft.Playwright;
using TfMnist.Predictor.Input;

namespace TfMnist.EndToEnd.Predictor;

/// <summary>Headless Chromium from the system (never downloaded) plus the real server.</summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";
    private IPlaywright? _playwright;

    public ServerFixture Server { get; } = new();
    public IBrowser? Browser { get; private set; }
    public string? SkipReason { get; private set; }

    public async ValueTask InitializeAsync()
    {
        await Server.InitializeAsync();
        if (!File.Exists(ChromiumPath))
        {
            SkipReason = $"{ChromiumPath} is not installed (apt-get install chromium); browser tests need it";
            return;
        }
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
        await Server.DisposeAsync();
    }
}

public class BrowserTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private async Task<IPage> OpenAsync()
    {
        if (fixture.SkipReason is not null)
            Requirement.Missing(fixture.SkipReason);
        var context = await fixture.Browser!.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 1040, Height = 820 },
            DeviceScaleFactor = 1,
        });
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        page.PageError += (_, e) => errors.Add(e);
        await page.GotoAsync(fixture.Server.Url.ToString());
        await page.GetByTestId("pad").WaitForAsync();
        Assert.Empty(errors);
        return page;
    }

    private static async Task<LocatorBoundingBoxResult> PadBoxAsync(IPage page) =>
        (await page.GetByTestId("pad").BoundingBoxAsync())!;

    /// <summary>Draws strokes given in pad fractions (0..1) with the mouse.</summary>
    private static async Task DrawAsync(IPage page, params (double X, double Y)[][] strokes)
    {
        var box = await PadBoxAsync(page);
        foreach (var stroke in strokes)
        {
            await page.Mouse.MoveAsync((float)(box.X + stroke[0].X * box.Width), (float)(box.Y + stroke[0].Y * box.Height));
            await page.Mouse.DownAsync();
            foreach (var (x, y) in stroke.Skip(1))
                await page.Mouse.MoveAsync((float)(box.X + x * box.Width), (float)(box.Y + y * box.Height), new MouseMoveOptions { Steps = 12 });
            await page.Mouse.UpAsync();
        }
    }

    private static async Task<string> PredictAsync(IPage page)
    {
        var response = page.WaitForResponseAsync(r => r.Url.EndsWith("/api/predict"));
        await page.GetByTestId("predict").ClickAsync();
        Assert.Equal(200, (await response).Status);
        await Assertions.Expect(page.GetByTestId("digit")).Not.ToHaveTextAsync("–");
        return (await page.GetByTestId("digit").TextContentAsync())!.Trim();
    }

    private static string ScreenshotDir => Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots");

    [Fact]
    public async Task PenMode_VerticalStroke_IsReadAsOne_AndPageMatchesServerPreprocessing()
    {
        var page = await OpenAsync();
        Assert.Equal("true", await page.GetByTestId("mode-pen").GetAttributeAsync("aria-pressed"));
        await DrawAsync(page, [(0.52, 0.15), (0.50, 0.50), (0.48, 0.85)]);

        string digit = await PredictAsync(page);

        Assert.Equal("1", digit);
        float[] sent = fixture.Server.Classifier.Last!;
        Assert.Equal(1, TestData.Classifier.Predict(sent).Digit);
        // What the page sent is the MNIST-style conversion of its drawing: the same drawing saved as a PNG
        // and converted by DigitImageLoader gives the same 784 values (up to 8-bit PNG rounding).
        await AssertPageMatchesLoaderAsync(page, sent);
        var rows = page.GetByTestId("probabilities").Locator("li");
        Assert.Equal(10, await rows.CountAsync());
        await Assertions.Expect(rows.Nth(1)).ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\bbest\b"));
    }

    [Fact]
    public async Task PenMode_Seven_IsReadAsSeven_WithScreenshot()
    {
        var page = await OpenAsync();
        // A 7: top bar left to right, then the diagonal down to the lower left.
        await DrawAsync(page, [(0.25, 0.18), (0.72, 0.18), (0.45, 0.85)]);

        string digit = await PredictAsync(page);

        Assert.Equal("7", digit);
        await AssertPageMatchesLoaderAsync(page, fixture.Server.Classifier.Last!);

        Directory.CreateDirectory(ScreenshotDir);
        string shot = Path.Combine(ScreenshotDir, "page.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = shot, FullPage = true, Animations = ScreenshotAnimations.Disabled });
        // Kept as a test artifact; docs/screenshot.png in the README is refreshed from it by hand.
        Assert.True(new FileInfo(shot).Length > 10_000);
    }

    private static async Task AssertPageMatchesLoaderAsync(IPage page, float[] sent)
    {
        string dataUrl = await page.EvaluateAsync<string>("() => window.ocr.penImage()");
        byte[] png = Convert.FromBase64String(dataUrl[(dataUrl.IndexOf(',') + 1)..]);
        float[] loaded = DigitImageLoader.Load(png, "page drawing");
        double maxDiff = Enumerable.Range(0, 784).Max(i => Math.Abs(loaded[i] - sent[i]));
        Assert.True(maxDiff < 0.02, $"page and DigitImageLoader differ by {maxDiff}\npage:\n{Digit28.Render(sent)}\nloader:\n{Digit28.Render(loaded)}");
    }

    [Fact]
    public async Task GridMode_ClickingTheCellsOfATestImage_SendsExactlyThoseCells_AndNamesTheDigit()
    {
        // The first test image whose binarised form the template classifier names correctly.
        int index = Enumerable.Range(0, 100).First(i =>
            TestData.Classifier.Predict(Binarise(TestData.TestImages.GetImage(i))).Digit == TestData.TestLabels[i] && TestData.TestLabels[i] != 1);
        float[] cells = Binarise(TestData.TestImages.GetImage(index));

        var page = await OpenAsync();
        await page.GetByTestId("mode-grid").ClickAsync();
        Assert.Equal("true", await page.GetByTestId("mode-grid").GetAttributeAsync("aria-pressed"));
        var box = await PadBoxAsync(page);
        double cell = box.Width / 28;
        for (int i = 0; i < 784; i++)
        {
            if (cells[i] == 0) continue;
            await page.Mouse.ClickAsync((float)(box.X + (i % 28 + 0.5) * cell), (float)(box.Y + (i / 28 + 0.5) * cell));
        }
        // Right-click erases: paint a stray cell and remove it again.
        await page.Mouse.ClickAsync((float)(box.X + 0.5 * cell), (float)(box.Y + 0.5 * cell));
        await page.Mouse.ClickAsync((float)(box.X + 0.5 * cell), (float)(box.Y + 0.5 * cell), new MouseClickOptions { Button = MouseButton.Right });

        string digit = await PredictAsync(page);

        Assert.Equal(cells, fixture.Server.Classifier.Last!);
        Assert.Equal(TestData.TestLabels[index].ToString(), digit);
        Directory.CreateDirectory(ScreenshotDir);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDir, "grid.png"), FullPage = true, Animations = ScreenshotAnimations.Disabled });
    }

    [Fact]
    public async Task GridMode_DragPaints_EraserErases_ClearResets()
    {
        var page = await OpenAsync();
        await page.GetByTestId("mode-grid").ClickAsync();
        var box = await PadBoxAsync(page);
        double cell = box.Width / 28;
        float X(int c) => (float)(box.X + (c + 0.5) * cell);
        float Y(int r) => (float)(box.Y + (r + 0.5) * cell);

        // Drag down column 14 from row 4 to row 23: twenty cells.
        await page.Mouse.MoveAsync(X(14), Y(4));
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync(X(14), Y(23), new MouseMoveOptions { Steps = 5 });
        await page.Mouse.UpAsync();
        var pixels = await page.EvaluateAsync<float[]>("() => window.ocr.pixels()");
        Assert.Equal(20, pixels.Count(v => v == 1));
        Assert.All(Enumerable.Range(4, 20), r => Assert.Equal(1f, pixels[r * 28 + 14]));

        // Eraser toggle: dragging now clears rows 4..8.
        await page.GetByTestId("eraser").ClickAsync();
        await page.Mouse.MoveAsync(X(14), Y(4));
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync(X(14), Y(8), new MouseMoveOptions { Steps = 3 });
        await page.Mouse.UpAsync();
        pixels = await page.EvaluateAsync<float[]>("() => window.ocr.pixels()");
        Assert.Equal(15, pixels.Count(v => v == 1));

        string digit = await PredictAsync(page);
        Assert.Equal("1", digit);

        await page.GetByTestId("clear").ClickAsync();
        await Assertions.Expect(page.GetByTestId("digit")).ToHaveTextAsync("–");
        Assert.Null(await page.EvaluateAsync<float[]?>("() => window.ocr.pixels()"));

        // Predicting an empty pad does not call the server; the page says why.
        int before = fixture.Server.Classifier.Inputs.Count;
        await page.GetByTestId("predict").ClickAsync();
        await Assertions.Expect(page.GetByTestId("status")).ToHaveTextAsync("Draw a digit first.");
        Assert.Equal(before, fixture.Server.Classifier.Inputs.Count);
    }

    [Fact]
    public async Task Keyboard_GridCursorAndEnterPredict()
    {
        var page = await OpenAsync();
        await page.GetByTestId("mode-grid").FocusAsync();
        await page.Keyboard.PressAsync("Enter"); // activates the focused mode button
        Assert.Equal("true", await page.GetByTestId("mode-grid").GetAttributeAsync("aria-pressed"));
        await page.GetByTestId("pad").FocusAsync();
        // Cursor starts at (13, 13): move up 9 rows, then Shift+Down paints a vertical bar.
        for (int i = 0; i < 9; i++) await page.Keyboard.PressAsync("ArrowUp");
        await page.Keyboard.PressAsync("Space");
        for (int i = 0; i < 19; i++) await page.Keyboard.PressAsync("Shift+ArrowDown");
        var pixels = await page.EvaluateAsync<float[]>("() => window.ocr.pixels()");
        Assert.Equal(20, pixels.Count(v => v == 1));

        var response = page.WaitForResponseAsync(r => r.Url.EndsWith("/api/predict"));
        await page.Keyboard.PressAsync("Enter");
        await response;
        await Assertions.Expect(page.GetByTestId("digit")).ToHaveTextAsync("1");
    }

    [Fact]
    public async Task ServerError_IsShownOnThePage()
    {
        var page = await OpenAsync();
        await page.RouteAsync("**/api/predict", route => route.FulfillAsync(new RouteFulfillOptions
        {
            Status = 400,
            ContentType = "application/json",
            Body = JsonSerializer.Serialize(new { error = "pixels[0] = 2 is outside 0..1" }),
        }));
        await DrawAsync(page, [(0.5, 0.2), (0.5, 0.8)]);
        await page.GetByTestId("predict").ClickAsync();
        await Assertions.Expect(page.GetByTestId("status")).ToHaveTextAsync("Prediction failed: pixels[0] = 2 is outside 0..1");
        await Assertions.Expect(page.GetByTestId("digit")).ToHaveTextAsync("–");
    }

    private static float[] Binarise(float[] image) => image.Select(v => v >= 0.5f ? 1f : 0f).ToArray();
}
