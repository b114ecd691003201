using System.Buffers.Binary;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Canary.Cli.Tests.Reports;

/// <summary>The report as a real browser shows it: Debian's chromium, headless, with the network features off.</summary>
public class ReportBrowserTests(BrowserReportFixture fixture) : IClassFixture<BrowserReportFixture>
{
    private const int ScreenshotWidth = 1280;
    private const int ScreenshotHeight = 900;

    [ChromiumFact]
    public async Task Report_InHeadlessChromium_RunsItsScriptWithoutErrorsOrBlockedLoads()
    {
        var dom = await fixture.DomAsync();

        dom.ExitCode.Should().Be(0, dom.Error);
        Regex.Match(dom.Output, "<body[^>]*>").Value.Should().Contain("data-render=\"ok\"").And.NotContain("data-render-error");
        dom.ConsoleLines.Should().NotContain(line => line.Contains("Uncaught", StringComparison.Ordinal) || line.Contains("Content Security Policy", StringComparison.Ordinal));
        var events = fixture.Run.JsonEvents.Count;
        dom.Output.Should().Contain($"data-filter=\"all\" class=\"active\">All <span class=\"count\">{events}</span>", "the script counts the table's rows");
    }

    [ChromiumFact]
    public async Task Report_InHeadlessChromium_ShowsOneWeightStepPerWeightAdvancedEvent()
    {
        var dom = await fixture.DomAsync();

        var advanced = fixture.Run.JsonEvents
            .Where(e => e.GetProperty("type").GetString() == "WeightAdvanced")
            .Select(e => e.GetProperty("weight").GetInt32().ToString(CultureInfo.InvariantCulture))
            .ToList();
        advanced.Should().NotBeEmpty();
        ReportRun.CountClass(dom.Output, "weight-step").Should().Be(advanced.Count);
        ReportRun.DataValues(dom.Output, "weight-step", "weight").Should().Equal(advanced);
    }

    [ChromiumFact]
    public async Task Report_InHeadlessChromium_ScreenshotsAsAPngOfTheWindowSize()
    {
        var png = Path.Combine(fixture.Directory, "report.png");

        var run = await HeadlessChromium.ScreenshotAsync(fixture.HtmlPath, png, ScreenshotWidth, ScreenshotHeight);

        run.ExitCode.Should().Be(0, run.Error);
        var bytes = await File.ReadAllBytesAsync(png);
        bytes.AsSpan(0, 8).ToArray().Should().Equal(0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A);
        BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16, 4)).Should().Be(ScreenshotWidth);
        BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20, 4)).Should().Be(ScreenshotHeight);

        // docs/report-screenshot.png is refreshed with CANARY_REPORT_SCREENSHOT=<absolute path> on this test.
        if (Environment.GetEnvironmentVariable("CANARY_REPORT_SCREENSHOT") is { Length: > 0 } keep)
        {
            File.Copy(png, keep, overwrite: true);
        }
    }
}
