using Canary.Analysis;
using Canary.Metrics.Tests.Support;
using Canary.Model;
using Canary.Workloads;

namespace Canary.Metrics.Tests.Integration;

/// <summary>
/// The builtin nginx queries, a MetricTemplate and the traffic samples, run by a real Prometheus against
/// ingress-nginx-shaped metrics whose rates are known exactly (see <see cref="NginxExporter"/>).
/// </summary>
public sealed class RealPrometheusTests(PrometheusServerFixture prometheus) : IClassFixture<PrometheusServerFixture>
{
    // Counters grow linearly and every series is scraped at the same instant, so ratios of rates are exact up to
    // floating point; half a percentage point leaves room for a scrape that lands between two exporter reads.
    private const double SuccessRateTolerance = 0.5;

    // increase() over a window that the samples cover extrapolates to the window's edges, so a count is the exporter's
    // rate times the window up to the scrapes' timing: within 5%, which also covers rounding to whole requests.
    private const double CountTolerance = 0.05;

    // An error ratio or a bucket's share of the requests, in percentage points: rounding each count to a whole request
    // moves a ratio of 300 requests by at most a third of a point.
    private const double ShareTolerance = 1;

    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan HistoryTimeout = TimeSpan.FromSeconds(40);

    private static MetricQuery Builtin(string metric, WorkloadRole role = WorkloadRole.Canary, string ingress = NginxExporter.Ingress) =>
        TestQueries.Builtin(TrafficProviders.Nginx, metric, role, Interval, ingress);

    [PrometheusFact]
    public async Task Nginx_CanarySuccessRate_MatchesExporter()
    {
        prometheus.EnsureStarted();

        var result = await prometheus.Provider.QueryAsync(Builtin(BuiltinMetrics.RequestSuccessRate), CancellationToken.None);

        var expected = (1 - NginxExporter.Canary.ErrorShare) * 100;
        result.Value.Should().BeApproximately(expected, SuccessRateTolerance, "the canary answers {0}% of its requests with 500", NginxExporter.Canary.ErrorShare * 100);
    }

    [PrometheusFact]
    public async Task Nginx_PrimarySuccessRate_MatchesExporter()
    {
        prometheus.EnsureStarted();

        var result = await prometheus.Provider.QueryAsync(Builtin(BuiltinMetrics.RequestSuccessRate, WorkloadRole.Primary), CancellationToken.None);

        result.Value.Should().BeApproximately((1 - NginxExporter.Primary.ErrorShare) * 100, SuccessRateTolerance);
    }

    [PrometheusFact]
    public async Task Nginx_CanaryDuration_IsP99WithinItsBucket()
    {
        prometheus.EnsureStarted();

        var result = await prometheus.Provider.QueryAsync(Builtin(BuiltinMetrics.RequestDuration), CancellationToken.None);

        // 90% of the canary's requests fall in the (50ms, 100ms] bucket and 10% in (250ms, 500ms], so the 99th
        // percentile lies in (250, 500]; linear interpolation inside it puts it at 250 + 250 * 0.9 = 475.
        result.Value.Should().BeInRange(250, 500).And.BeApproximately(475, 1);
    }

    [PrometheusFact]
    public async Task Nginx_PrimaryDuration_IsP99WithinItsBucket()
    {
        prometheus.EnsureStarted();

        var result = await prometheus.Provider.QueryAsync(Builtin(BuiltinMetrics.RequestDuration, WorkloadRole.Primary), CancellationToken.None);

        // Every primary request falls in (10ms, 25ms]: 10 + 15 * 0.99 = 24.85.
        result.Value.Should().BeInRange(10, 25).And.BeApproximately(24.85, 0.1);
    }

    [PrometheusFact]
    public async Task Template_WithVariables_MeasuresErrorRate()
    {
        prometheus.EnsureStarted();
        var query = TestQueries.Template(
            """
            sum(rate(nginx_ingress_controller_requests{namespace="{{ namespace }}",ingress="{{ ingress }}",canary!="",status=~"{{ variables.errors }}"}[{{ interval }}]))
            /
            sum(rate(nginx_ingress_controller_requests{namespace="{{ namespace }}",ingress="{{ ingress }}",canary!=""}[{{ interval }}]))
            * 100
            """,
            new Dictionary<string, string> { ["errors"] = "5.." },
            interval: Interval);

        var result = await prometheus.Provider.QueryAsync(query, CancellationToken.None);

        result.Value.Should().BeApproximately(NginxExporter.Canary.ErrorShare * 100, SuccessRateTolerance);
    }

    [PrometheusFact]
    public async Task Nginx_MissingSeries_IsNoData()
    {
        prometheus.EnsureStarted();

        var result = await prometheus.Provider.QueryAsync(Builtin(BuiltinMetrics.RequestSuccessRate, ingress: "no-such-ingress"), CancellationToken.None);

        result.HasValue.Should().BeFalse();
        result.Detail.Should().StartWith("no data: the query returned an empty vector").And.Contain("ingress=\"no-such-ingress\"");
    }

    [PrometheusFact]
    public async Task Query_WithoutAggregation_IsNoDataNamingSeriesCount()
    {
        prometheus.EnsureStarted();

        var result = await prometheus.Provider.EvaluateAsync("rate(nginx_ingress_controller_requests[15s])", CancellationToken.None);

        result.HasValue.Should().BeFalse();
        result.Detail.Should().StartWith("no data: the query returned 4 series");
    }

    [PrometheusFact]
    public async Task Query_SyntaxError_ThrowsWithPrometheusMessage()
    {
        prometheus.EnsureStarted();

        var act = () => prometheus.Provider.EvaluateAsync("sum(rate(x[15s]", CancellationToken.None);

        (await act.Should().ThrowAsync<Canary.Metrics.Prometheus.PrometheusQueryException>())
            .WithMessage("Prometheus at * rejected the query (bad_data, HTTP 400): *Query: sum(rate(x[15s]")
            .Which.ErrorType.Should().Be("bad_data");
    }

    [PrometheusFact]
    public async Task TrafficSamples_NginxCanary_CountRequestsErrorsAndLatenciesOfTheExporter()
    {
        prometheus.EnsureStarted();
        await WaitForHistoryAsync(Interval);

        var counts = await Samples().GetCountsAsync(TestQueries.Canary(TrafficProviders.Nginx), WorkloadRole.Canary, Interval, CancellationToken.None);

        var expected = NginxExporter.Canary.RequestsPerSecond * Interval.TotalSeconds;
        ((double)counts.Requests).Should().BeApproximately(expected, expected * CountTolerance, "the canary serves 20 requests a second");
        Percent(counts.Errors, counts.Requests).Should().BeApproximately(NginxExporter.Canary.ErrorShare * 100, ShareTolerance);

        // 90% of the canary's requests take (50ms, 100ms], 10% take (250ms, 500ms].
        var buckets = counts.LatencyBuckets;
        buckets.Select(b => b.UpperBoundMilliseconds).Should().Equal(5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, double.PositiveInfinity);
        buckets.Single(b => b.UpperBoundMilliseconds == 50).CumulativeCount.Should().Be(0);
        Percent(buckets.Single(b => b.UpperBoundMilliseconds == 100).CumulativeCount, counts.Requests).Should().BeApproximately(90, ShareTolerance);
        Percent(buckets.Single(b => b.UpperBoundMilliseconds == 500).CumulativeCount, counts.Requests).Should().BeApproximately(100, ShareTolerance);
        ((double)buckets[^1].CumulativeCount).Should().BeApproximately(counts.Requests, counts.Requests * CountTolerance);
    }

    [PrometheusFact]
    public async Task TrafficSamples_NginxPrimary_CountRequestsAndErrorsOfTheExporter()
    {
        prometheus.EnsureStarted();
        await WaitForHistoryAsync(Interval);

        var counts = await Samples().GetCountsAsync(TestQueries.Canary(TrafficProviders.Nginx), WorkloadRole.Primary, Interval, CancellationToken.None);

        var expected = NginxExporter.Primary.RequestsPerSecond * Interval.TotalSeconds;
        ((double)counts.Requests).Should().BeApproximately(expected, expected * CountTolerance, "the primary serves 50 requests a second");
        Percent(counts.Errors, counts.Requests).Should().BeApproximately(NginxExporter.Primary.ErrorShare * 100, ShareTolerance);
        Percent(counts.LatencyBuckets.Single(b => b.UpperBoundMilliseconds == 25).CumulativeCount, counts.Requests).Should().BeApproximately(100, ShareTolerance);
    }

    [PrometheusFact]
    public async Task TrafficSamples_MissingIngress_CountNothing()
    {
        prometheus.EnsureStarted();

        var counts = await Samples().GetCountsAsync(
            TestQueries.Canary(TrafficProviders.Nginx, ingress: "no-such-ingress"), WorkloadRole.Canary, Interval, CancellationToken.None);

        counts.Should().BeEquivalentTo(TrafficCounts.Empty);
    }

    private static double Percent(long part, long whole) => whole == 0 ? double.NaN : 100.0 * part / whole;

    private Canary.Metrics.Prometheus.PrometheusTrafficSampleProvider Samples() =>
        new(prometheus.HttpClient, new Canary.Metrics.Prometheus.PrometheusOptions { Address = prometheus.Address });

    /// <summary>
    /// Waits, at most <see cref="HistoryTimeout"/>, until every series has been scraped (once a second) for longer than the window, so
    /// that increase() over the window is not cut short at its start.
    /// </summary>
    private async Task WaitForHistoryAsync(TimeSpan window)
    {
        var query = "min(count_over_time(nginx_ingress_controller_requests[1m]))";
        var needed = window.TotalSeconds + 2;
        var deadline = System.Diagnostics.Stopwatch.StartNew();
        while (deadline.Elapsed < HistoryTimeout)
        {
            if ((await prometheus.Provider.EvaluateAsync(query, CancellationToken.None)).Value >= needed)
            {
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250));
        }

        throw new TimeoutException($"Prometheus did not hold {needed} scrapes of every series within {HistoryTimeout.TotalSeconds}s.");
    }
}
