using Canary.Analysis;
using Canary.Cli.Demo;
using Canary.Model;
using Canary.Testing.Time;
using Canary.Workloads;
using static Canary.Cli.Tests.Demo.DemoObjects;

namespace Canary.Cli.Tests.Demo;

public sealed class ProxyMetricProviderTests
{
    private readonly ManualTimeProvider _clock = new();
    private readonly ProxyMetrics _metrics;
    private readonly ProxyMetricProvider _provider;

    public ProxyMetricProviderTests()
    {
        _metrics = new ProxyMetrics(Namespace, "podinfo", _clock);
        _provider = new ProxyMetricProvider(_metrics);
    }

    [Fact]
    public async Task QueryAsync_SuccessRate_CountsOnlyTheCanaryRequestsInsideTheInterval()
    {
        Record(WorkloadRole.Canary, 500, count: 10);
        _clock.Advance(TimeSpan.FromSeconds(30));
        Record(WorkloadRole.Canary, 200, count: 9);
        Record(WorkloadRole.Canary, 503, count: 1);
        Record(WorkloadRole.Primary, 500, count: 5);

        var result = await _provider.QueryAsync(Query(BuiltinMetrics.RequestSuccessRate, TimeSpan.FromSeconds(20)), CancellationToken.None);

        result.Value.Should().Be(90);
        result.SampleCount.Should().Be(10);
    }

    [Fact]
    public async Task QueryAsync_IntervalCoveringEverything_CountsOlderRequestsToo()
    {
        Record(WorkloadRole.Canary, 500, count: 10);
        _clock.Advance(TimeSpan.FromSeconds(30));
        Record(WorkloadRole.Canary, 200, count: 10);

        var result = await _provider.QueryAsync(Query(BuiltinMetrics.RequestSuccessRate, TimeSpan.FromMinutes(1)), CancellationToken.None);

        result.Value.Should().Be(50);
    }

    [Fact]
    public async Task QueryAsync_Duration_IsTheP99InMillisecondsWithinTheHistogramsResolution()
    {
        Record(WorkloadRole.Canary, 200, count: 98, milliseconds: 20);
        Record(WorkloadRole.Canary, 200, count: 2, milliseconds: 400);

        var result = await _provider.QueryAsync(Query(BuiltinMetrics.RequestDuration, TimeSpan.FromMinutes(1)), CancellationToken.None);

        // The 99th of 100 requests took 400 ms; it is read from inside the histogram bucket that holds 400, and buckets are 10% wide.
        result.Value.Should().BeInRange(400 / 1.1, 400 * 1.1);
    }

    [Fact]
    public async Task QueryAsync_PrimaryRole_MeasuresThePrimary()
    {
        Record(WorkloadRole.Canary, 500, count: 4);
        Record(WorkloadRole.Primary, 200, count: 3);
        Record(WorkloadRole.Primary, 500, count: 1);

        var result = await _provider.QueryAsync(Query(BuiltinMetrics.RequestSuccessRate, null) with { Role = WorkloadRole.Primary }, CancellationToken.None);

        result.Value.Should().Be(75);
    }

    [Fact]
    public async Task QueryAsync_NoRequestsInTheInterval_HasNoData()
    {
        Record(WorkloadRole.Canary, 200, count: 5);
        _clock.Advance(TimeSpan.FromMinutes(2));

        var result = await _provider.QueryAsync(Query(BuiltinMetrics.RequestSuccessRate, TimeSpan.FromMinutes(1)), CancellationToken.None);

        result.HasValue.Should().BeFalse();
        result.Detail.Should().Contain("no requests reached the canary");
    }

    [Fact]
    public async Task QueryAsync_RequestsOlderThanTheRetention_AreForgotten()
    {
        var metrics = new ProxyMetrics(Namespace, "podinfo", _clock, retention: TimeSpan.FromSeconds(10));
        metrics.Record(Request(WorkloadRole.Canary, 200, 5));
        _clock.Advance(TimeSpan.FromSeconds(11));
        metrics.Record(Request(WorkloadRole.Canary, 500, 5));

        metrics.Window(WorkloadRole.Canary, TimeSpan.FromMinutes(5)).Requests.Should().Be(1);
    }

    [Theory]
    [InlineData(WorkloadRole.Baseline, "podinfo", "test")]
    [InlineData(WorkloadRole.Canary, "other", "test")]
    [InlineData(WorkloadRole.Canary, "podinfo", "prod")]
    public async Task QueryAsync_WorkloadTheProxyDoesNotServe_HasNoData(WorkloadRole role, string target, string namespaceName)
    {
        Record(WorkloadRole.Canary, 200, count: 5);
        Record(WorkloadRole.Primary, 200, count: 5);
        var canary = new CanaryResource(new CanaryId(target, namespaceName), new CanarySpec { TargetRef = new ObjectReference("apps/v1", "Deployment", target) });

        var result = await _provider.QueryAsync(new MetricQuery(canary, new MetricCheck { Name = BuiltinMetrics.RequestSuccessRate }, null) { Role = role }, CancellationToken.None);

        result.HasValue.Should().BeFalse();
    }

    [Fact]
    public async Task QueryAsync_CustomMetric_HasNoDataNamingTheBuiltins()
    {
        var query = new MetricQuery(Canary(), new MetricCheck { Name = "error-budget", TemplateRef = new TemplateReference("error-budget") }, null);

        var result = await _provider.QueryAsync(query, CancellationToken.None);

        result.HasValue.Should().BeFalse();
        result.Detail.Should().Contain("request-success-rate");
    }

    [Fact]
    public async Task QueryAsync_RealTrafficThroughTheProxy_AgreesWithWhatTheClientsSaw()
    {
        var slowFaultyCanary = new DemoPodBehavior(0.25, TimeSpan.FromMilliseconds(30), TimeSpan.Zero);
        await using var demo = await DemoHarness.StartAsync(
            "nginx",
            [Ingress("podinfo", "podinfo"), Ingress("podinfo-canary", "podinfo-canary", annotations: [("canary", "true"), ("canary-weight", "100")])],
            configureCluster: options => options.Versions[DemoHarness.Canary] = slowFaultyCanary);
        var provider = new ProxyMetricProvider(demo.Proxy.Metrics);

        var report = await demo.LoadAsync(400);
        var successRate = await provider.QueryAsync(Query(BuiltinMetrics.RequestSuccessRate, TimeSpan.FromMinutes(5)), CancellationToken.None);
        var duration = await provider.QueryAsync(Query(BuiltinMetrics.RequestDuration, TimeSpan.FromMinutes(5)), CancellationToken.None);

        var seen = report.ByVersion[DemoHarness.Canary];
        seen.Total.Should().Be(400);
        successRate.SampleCount.Should().Be(400);
        successRate.Value.Should().BeApproximately(100.0 * seen.Succeeded / seen.Total, 1e-9);
        successRate.Value.Should().BeApproximately(75, Binomial.FiveSigma(400, 0.25) / 4);

        // A lower bound only: no request can be faster than the pod's 30 ms, while an upper bound would time the machine.
        duration.Value.Should().BeGreaterThanOrEqualTo(30 * 0.9, "the histogram reads a quantile to within its 10% buckets");
    }

    private static CanaryResource Canary() =>
        new(new CanaryId("podinfo", Namespace), new CanarySpec { TargetRef = new ObjectReference("apps/v1", "Deployment", "podinfo"), Provider = TrafficProviders.Nginx });

    private static MetricQuery Query(string metric, TimeSpan? interval) => new(Canary(), new MetricCheck { Name = metric, Interval = interval }, null);

    private static ProxyRequest Request(WorkloadRole role, int status, double milliseconds) =>
        new("podinfo", "app.example.com", "GET", "/", role == WorkloadRole.Canary ? "podinfo-canary" : "podinfo-primary", 80, "pod", role == WorkloadRole.Canary ? "podinfo" : "podinfo-primary", role, status, TimeSpan.FromMilliseconds(milliseconds));

    private void Record(WorkloadRole role, int status, int count, double milliseconds = 10)
    {
        for (var i = 0; i < count; i++)
        {
            _metrics.Record(Request(role, status, milliseconds));
        }
    }
}
