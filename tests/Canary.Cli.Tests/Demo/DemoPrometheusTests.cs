using System.CommandLine;
using System.Text.RegularExpressions;
using Canary.Cli.Commands;
using Canary.Cli.Demo;

namespace Canary.Cli.Tests.Demo;

/// <summary>
/// <c>canary demo --prometheus</c>: a real Prometheus, started by the demo, scrapes the proxy, and the analysis judges
/// Canary.Metrics' builtin queries of the provider against it instead of the proxy's own counters.
/// </summary>
[Collection(LiveRollouts.Name)]
public sealed partial class DemoPrometheusTests
{
    [PrometheusTheory]
    [InlineData("nginx")]
    [InlineData("linkerd")]
    [InlineData("gatewayapi")]
    public async Task Demo_PrometheusTwoSecondSteps_PromotesV2AndRollsBackV3OnPrometheusAnswers(string provider)
    {
        var run = await CliRun.RunAsync("demo", "--prometheus", "--interval-seconds", "2", "--provider", provider).WaitAsync(TimeSpan.FromMinutes(3));

        run.ExitCode.Should().Be(ExitCodes.Success, run.Output + run.Error);
        run.Output.Should().Contain($"from Prometheus, by Canary.Metrics' builtin {provider} queries")
            .And.Contain("== 2.0.0: promoted ==")
            .And.Contain("== 3.0.0: rolled back ==");

        // Every check the engine printed was a question to Prometheus (two metrics per round).
        var checks = run.Output.Split('\n').Count(line => line.Contains(" is within ", StringComparison.Ordinal) || line.Contains("advancement ", StringComparison.Ordinal));
        var queries = long.Parse(QueriesAnswered().Match(run.Output).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        checks.Should().BeGreaterThan(0);
        queries.Should().BeGreaterThanOrEqualTo(checks, run.Output);
        var data = DataFolder().Match(run.Output).Groups[1].Value;
        data.Should().NotBeEmpty();
        Directory.Exists(data).Should().BeFalse("the demo removes Prometheus' temporary folder");
    }

    [Fact]
    public async Task Demo_PrometheusWithoutTheBinary_ExitsTwoSayingHowToInstallIt()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var root = new RootCommand { DemoCommand.Create(output, error, () => null) };

        var exitCode = await root.Parse(["demo", "--prometheus"]).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });

        exitCode.Should().Be(ExitCodes.InvalidInput);
        error.ToString().Should().StartWith("--prometheus: the prometheus binary is neither on PATH nor at /usr/bin/prometheus")
            .And.Contain("apt-get install prometheus");
        output.ToString().Should().BeEmpty("nothing starts without the binary");
    }

    [Theory]
    [InlineData("smi", "2", "--provider smi: Canary.Metrics has no builtin Prometheus queries for it")]
    [InlineData("nginx", "1", "--interval-seconds 1: with --prometheus, must be at least 2")]
    public async Task Demo_PrometheusWithAnUnfitOption_ExitsTwoNamingIt(string provider, string interval, string message)
    {
        var run = await CliRun.RunAsync("demo", "--prometheus", "--provider", provider, "--interval-seconds", interval);

        run.ExitCode.Should().Be(ExitCodes.InvalidInput);
        run.ErrorLines.Should().ContainSingle().Which.Should().StartWith(message);
    }

    [Fact]
    public void FindBinary_OnPath_ReturnsItBeforeTheFallback()
    {
        var folder = Directory.CreateTempSubdirectory("canary-find-prometheus-").FullName;
        try
        {
            var binary = Path.Combine(folder, "prometheus");
            File.WriteAllText(binary, string.Empty);

            DemoPrometheus.FindBinary($"/nonexistent{Path.PathSeparator}{folder}", "/nonexistent/prometheus").Should().Be(binary);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void FindBinary_NowhereToBeFound_ReturnsNull()
    {
        DemoPrometheus.FindBinary("/nonexistent", "/nonexistent/prometheus").Should().BeNull();
    }

    [Fact]
    public void QueriesIn_PrometheusOwnMetrics_SumsTheInstantQueriesOfEveryStatus()
    {
        const string Exposition = """
            # TYPE prometheus_http_requests_total counter
            prometheus_http_requests_total{code="200",handler="/api/v1/query"} 12
            prometheus_http_requests_total{code="400",handler="/api/v1/query"} 2
            prometheus_http_requests_total{code="200",handler="/api/v1/query_range"} 5
            prometheus_http_requests_total{code="200",handler="/-/ready"} 3
            """;

        DemoPrometheus.QueriesIn(Exposition).Should().Be(14);
    }

    [GeneratedRegex(@"Prometheus answered (\d+) queries")]
    private static partial Regex QueriesAnswered();

    [GeneratedRegex(@"\(data in (\S+), removed at the end\)")]
    private static partial Regex DataFolder();
}
