namespace Canary.Cli.Tests.Reports;

/// <summary>
/// One report for the browser tests, from a rollout that is held by failed checks and then promoted, written to a temp
/// folder that is deleted afterwards; chromium loads it once and the tests share the rendered DOM.
/// </summary>
public sealed class BrowserReportFixture : IAsyncLifetime
{
    private readonly DirectoryInfo _directory = System.IO.Directory.CreateTempSubdirectory("canary-browser-report-");
    private Task<ChromiumRun>? _dom;

    public string HtmlPath => Path.Combine(_directory.FullName, "report.html");

    public string Directory => _directory.FullName;

    internal CliRun Run { get; private set; } = new(-1, string.Empty, string.Empty);

    /// <summary>Gets the DOM after chromium loaded the page and ran its scripts, loaded on first use.</summary>
    internal Task<ChromiumRun> DomAsync() => _dom ??= HeadlessChromium.DumpDomAsync(HtmlPath);

    public async Task InitializeAsync()
    {
        Run = await CliRun.RunAsync(
            "simulate", CliRun.Spec("nginx-canary.yaml"), "--canary-latency-ms", "260", "--seed", "3", "--output", "json", "--report", HtmlPath);
    }

    public Task DisposeAsync()
    {
        _directory.Delete(recursive: true);
        return Task.CompletedTask;
    }
}
