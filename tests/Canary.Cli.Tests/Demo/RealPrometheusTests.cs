using Canary.Analysis;
using Canary.Cli.Demo;
using Canary.Model;
using Canary.Workloads;
using static Canary.Cli.Tests.Demo.DemoObjects;

namespace Canary.Cli.Tests.Demo;

/// <summary>
/// A real Prometheus scrapes the proxy's /metrics while real traffic flows, and Canary.Metrics' builtin nginx queries read the
/// pods' known behaviour back: the canary fails every request and takes at least 300 ms, the primary fails none and takes at
/// least 60 ms.
/// </summary>
[Collection(LiveRollouts.Name)]
public sealed class RealPrometheusTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    [PrometheusFact]
    public async Task BuiltinNginxQueries_AgainstTheScrapedProxy_ReadThePodsBehaviour()
    {
        await using var demo = await DemoHarness.StartAsync(
            "nginx",
            [Ingress("podinfo", "podinfo"), Ingress("podinfo-canary", "podinfo-canary", annotations: [("canary", "true"), ("canary-weight", "50")])],
            configureCluster: options =>
            {
                options.Versions[DemoHarness.Primary] = new DemoPodBehavior(0, TimeSpan.FromMilliseconds(60), TimeSpan.Zero);
                options.Versions[DemoHarness.Canary] = new DemoPodBehavior(1, TimeSpan.FromMilliseconds(300), TimeSpan.Zero);
            });
        using var stopLoad = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        using var load = new LoadGenerator(demo.Proxy.Address, new LoadGeneratorOptions { RequestsPerSecond = 40, Host = "app.example.com" });
        var running = load.RunAsync(stopLoad.Token);
        await using var prometheus = await PrometheusServer.StartAsync(demo.Proxy.MetricsAddress);
        await prometheus.WaitForScrapesAsync("nginx_ingress_controller_requests", 3);

        var canarySuccess = await prometheus.Provider.QueryAsync(Query(BuiltinMetrics.RequestSuccessRate, WorkloadRole.Canary), CancellationToken.None);
        var canaryErrors = await prometheus.Provider.EvaluateAsync(
            """sum(rate(nginx_ingress_controller_requests{namespace="test",ingress="podinfo",canary!="",status=~"5.*"}[10s])) / sum(rate(nginx_ingress_controller_requests{namespace="test",ingress="podinfo",canary!=""}[10s])) * 100""",
            CancellationToken.None);
        var primarySuccess = await prometheus.Provider.QueryAsync(Query(BuiltinMetrics.RequestSuccessRate, WorkloadRole.Primary), CancellationToken.None);
        var canaryDuration = await prometheus.Provider.QueryAsync(Query(BuiltinMetrics.RequestDuration, WorkloadRole.Canary), CancellationToken.None);
        var primaryDuration = await prometheus.Provider.QueryAsync(Query(BuiltinMetrics.RequestDuration, WorkloadRole.Primary), CancellationToken.None);
        await stopLoad.CancelAsync();
        await running;

        // With no canary request below 500 there is no series for the success rate's numerator, so the ratio is empty: no data,
        // which fails the check as Flagger's "no values found" does. The error ratio reads the failures themselves.
        canarySuccess.HasValue.Should().BeFalse();
        canaryErrors.Value.Should().Be(100, "every canary request failed");
        primarySuccess.Value.Should().Be(100, "no primary request failed");

        // Lower bounds only, since an upper bound would time the machine: every canary request takes at least 300 ms, so it lands
        // in ingress-nginx's (0.25 s, 0.5 s] bucket or above, where histogram_quantile reads at least 250 ms; every primary
        // request takes at least 60 ms, so (50 ms, 100 ms] or above: at least 50 ms.
        canaryDuration.Value.Should().BeGreaterThan(250);
        primaryDuration.Value.Should().BeGreaterThan(50);
    }

    private static MetricQuery Query(string metric, WorkloadRole role)
    {
        var canary = new CanaryResource(
            new CanaryId("podinfo", Namespace),
            new CanarySpec
            {
                TargetRef = new ObjectReference("apps/v1", "Deployment", "podinfo"),
                IngressRef = new ObjectReference("networking.k8s.io/v1", "Ingress", "podinfo"),
                Provider = TrafficProviders.Nginx,
            });
        return new MetricQuery(canary, new MetricCheck { Name = metric, Interval = Interval }, null) { Role = role };
    }
}
