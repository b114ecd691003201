using System.Text.RegularExpressions;
using Canary.Cli.Demo;
using Canary.Cli.Tests.Reports;

namespace Canary.Cli.Tests.Demo;

/// <summary>
/// <c>canary demo --report FILE.html</c>: one self-contained rollout page per rollout (FILE-2.0.0.html, FILE-3.0.0.html), and FILE.html
/// as their index. The weight steps are checked against the events the demo printed, not against the events the page was built from.
/// </summary>
[Collection(LiveRollouts.Name)]
public sealed partial class DemoReportTests(DemoReportFixture fixture) : IClassFixture<DemoReportFixture>
{
    [Theory]
    [InlineData("2.0.0", "promoted")]
    [InlineData("3.0.0", "rolled-back")]
    public void Report_EachRollout_HasAPageWithOneWeightStepPerWeightAdvancedEvent(string version, string outcome)
    {
        fixture.Run.ExitCode.Should().Be(ExitCodes.Success, fixture.Run.Output + fixture.Run.Error);
        var printed = fixture.Section(version).Select(line => AdvanceLine().Match(line)).Where(m => m.Success).Select(m => m.Groups[1].Value).ToList();

        var page = fixture.Page($"demo-{version}.html");

        printed.Should().NotBeEmpty("every rollout of the demo takes at least one step");
        page.Should().Contain($"<body data-outcome=\"{outcome}\" data-weight-steps=\"{printed.Count}\"");
        ReportRun.DataValues(page, "weight-step", "weight").Should().Equal(printed);
        Regex.Count(page, "data-type=\"WeightAdvanced\"").Should().Be(printed.Count, "the events table lists each step once");
        page.Should().Contain($"Live demo: release {version}").And.Contain("<meta name=\"generator\" content=\"canary demo\">");
    }

    [Fact]
    public void Report_Index_LinksBothPagesWithTheirOutcomes()
    {
        var index = fixture.Page("demo.html");

        index.Should().Contain("<title>Canary demo: 2.0.0 promoted, 3.0.0 rolled back</title>")
            .And.Contain("data-version=\"2.0.0\" data-outcome=\"promoted\"")
            .And.Contain("data-version=\"3.0.0\" data-outcome=\"rolled-back\"")
            .And.Contain("<a href=\"demo-2.0.0.html\">")
            .And.Contain("<a href=\"demo-3.0.0.html\">")
            .And.Contain("default-src 'none'");
        fixture.Run.Output.Should().Contain($"  report: {fixture.IndexPath} (demo-2.0.0.html, demo-3.0.0.html)");
    }

    [ChromiumFact]
    public async Task Report_RolloutPageInHeadlessChromium_RendersWithoutErrorsAndDrawsEveryStep()
    {
        var printed = fixture.Section("2.0.0").Count(line => AdvanceLine().IsMatch(line));

        var dom = await HeadlessChromium.DumpDomAsync(Path.Combine(Path.GetDirectoryName(fixture.IndexPath)!, "demo-2.0.0.html"));

        dom.ExitCode.Should().Be(0, dom.Error);
        Regex.Match(dom.Output, "<body[^>]*>").Value.Should().Contain("data-render=\"ok\"").And.NotContain("data-render-error");
        dom.ConsoleLines.Should().NotContain(line => line.Contains("Uncaught", StringComparison.Ordinal) || line.Contains("Content Security Policy", StringComparison.Ordinal));
        ReportRun.CountClass(dom.Output, "weight-step").Should().Be(printed);
    }

    [Theory]
    [InlineData("/tmp/out/demo.html", "2.0.0", "/tmp/out/demo-2.0.0.html")]
    [InlineData("/tmp/out/report", "3.0.0", "/tmp/out/report-3.0.0.html")]
    [InlineData("/tmp/out/my.report.htm", "2.0.0", "/tmp/out/my.report-2.0.0.htm")]
    public void PagePath_IndexPath_PutsTheVersionBeforeTheExtension(string index, string version, string expected)
    {
        DemoReport.PagePath(index, version).Should().Be(expected);
    }

    [GeneratedRegex(@"\] info  Advance podinfo\.test canary weight (\d+)$")]
    private static partial Regex AdvanceLine();
}
