using System.Text.RegularExpressions;
using Canary.Cli.Demo;
using Canary.Workloads;
using static Canary.Cli.Tests.Demo.DemoObjects;

namespace Canary.Cli.Tests.Demo;

/// <summary>The proxy's /metrics: Prometheus' text format, in ingress-nginx's shape and the others the builtin queries read.</summary>
public sealed class ProxyMetricsTests
{
    private const string CanaryUpstream = "test-podinfo-canary-80";

    [Fact]
    public async Task Metrics_AfterTraffic_CountNginxRequestsByCanaryUpstreamAndStatus()
    {
        await using var demo = await StartFailingCanaryAsync();
        var report = await demo.LoadAsync(300);

        var exposition = await ScrapeAsync(demo);

        var requests = exposition.Named("nginx_ingress_controller_requests").ToList();
        requests.Should().OnlyContain(s => s["namespace"] == Namespace && s["ingress"] == "podinfo" && s["method"] == "GET" && s["host"] == "app.example.com");
        requests.Where(s => s["canary"] == CanaryUpstream).Should().OnlyContain(s => s["status"] == "500" && s["service"] == "podinfo-canary")
            .And.Subject.Sum(s => s.Value).Should().Be(report.Answers(DemoHarness.Canary));
        requests.Where(s => s["canary"] == string.Empty).Should().OnlyContain(s => s["status"] == "200" && s["service"] == "podinfo")
            .And.Subject.Sum(s => s.Value).Should().Be(report.Answers(DemoHarness.Primary));
        report.Answers(DemoHarness.Canary).Should().BeGreaterThan(0);
    }

    [Fact]
    public async Task Metrics_EveryHistogram_HasRisingBucketsEndingInTheCount()
    {
        await using var demo = await StartFailingCanaryAsync();
        await demo.LoadAsync(100);

        var exposition = await ScrapeAsync(demo);

        var histograms = exposition.Types.Where(t => t.Value == "histogram").Select(t => t.Key).ToList();
        histograms.Should().BeEquivalentTo(
            "nginx_ingress_controller_request_duration_seconds", "nginx_ingress_controller_response_duration_seconds",
            "traefik_service_request_duration_seconds", "response_latency_ms", "http_request_duration_seconds");
        foreach (var family in histograms)
        {
            var counts = exposition.Named(family + "_count").ToDictionary(s => s.SeriesKey, s => s.Value);
            counts.Should().NotBeEmpty(family);
            foreach (var series in exposition.Named(family + "_bucket").GroupBy(s => s.SeriesKey))
            {
                var buckets = series.Select(s => s.Value).ToList();
                buckets.Should().BeInAscendingOrder($"{family} buckets are cumulative");
                series.Last()["le"].Should().Be("+Inf");
                buckets[^1].Should().Be(counts[series.Key], $"{family}'s +Inf bucket is its count");
            }
        }
    }

    [Fact]
    public async Task Metrics_AppHistogram_NamesPodsSoThatTheCanaryPatternMatchesOnlyCanaryPods()
    {
        await using var demo = await StartFailingCanaryAsync();
        await demo.LoadAsync(100);

        var exposition = await ScrapeAsync(demo);

        // The http observer's selector for the canary "podinfo": kubernetes_pod_name=~"podinfo-[0-9a-zA-Z]+(-[0-9a-zA-Z]+)".
        var canaryPattern = new Regex("^(?:podinfo-[0-9a-zA-Z]+(-[0-9a-zA-Z]+))$");
        var pods = exposition.Named("http_request_duration_seconds_count").ToList();
        pods.Where(s => s["status"] == "500").Should().NotBeEmpty().And.OnlyContain(s => canaryPattern.IsMatch(s["kubernetes_pod_name"]));
        pods.Where(s => s["status"] == "200").Should().NotBeEmpty().And.OnlyContain(s => !canaryPattern.IsMatch(s["kubernetes_pod_name"]));
        pods.Should().OnlyContain(s => s["kubernetes_namespace"] == Namespace);
    }

    [Fact]
    public async Task Metrics_TraefikAndLinkerdShapes_NameTheBackends()
    {
        await using var demo = await StartFailingCanaryAsync();
        await demo.LoadAsync(100);

        var exposition = await ScrapeAsync(demo);

        exposition.Named("traefik_service_request_duration_seconds_count").Select(s => s["service"]).Should()
            .Contain($"{CanaryUpstream}@kubernetescrd").And.Contain("test-podinfo-80@kubernetescrd");
        var responses = exposition.Named("response_total").ToList();
        responses.Where(s => s["deployment"] == "podinfo").Should().NotBeEmpty().And.OnlyContain(s => s["classification"] == "failure" && s["direction"] == "inbound");
        responses.Where(s => s["deployment"] == "podinfo-primary").Should().NotBeEmpty().And.OnlyContain(s => s["classification"] == "success");
    }

    [Fact]
    public async Task Metrics_ProxyAnswersWithoutARoute_AreCountedWithoutAService()
    {
        await using var demo = await DemoHarness.StartAsync("nginx", []);
        await demo.GetAsync();

        var exposition = await ScrapeAsync(demo);

        exposition.Named("nginx_ingress_controller_requests").Should().ContainSingle()
            .Which.Labels.Should().Contain("status", "404").And.Contain("service", string.Empty).And.Contain("canary", string.Empty);
    }

    [Fact]
    public async Task MetricsAddress_OtherPath_Answers404AndTrafficPortDoesNotServeMetrics()
    {
        await using var demo = await StartFailingCanaryAsync();
        using var client = new HttpClient();

        using var other = await client.GetAsync(new Uri(demo.Proxy.MetricsAddress, "/other"));
        var (status, version) = await demo.GetAsync("/metrics");

        ((int)other.StatusCode).Should().Be(404);
        status.Should().Be(404);
        version.Should().BeOneOf([DemoHarness.Primary, DemoHarness.Canary], "the traffic port forwards /metrics to the app, which has no such page");
    }

    [Fact]
    public void Exposition_Durations_LandInIngressNginxsBucketsWithTheBoundInclusive()
    {
        var metrics = new ProxyMetrics(Namespace, "podinfo");
        foreach (var milliseconds in new[] { 3.0, 25.0, 30.0, 700.0, 20_000.0 })
        {
            metrics.Record(new ProxyRequest("podinfo", "h", "GET", "/", "podinfo-primary", 80, "p", "podinfo-primary", WorkloadRole.Primary, 200, TimeSpan.FromMilliseconds(milliseconds)));
        }

        var exposition = Exposition.Parse(metrics.Exposition());

        var buckets = exposition.Named("nginx_ingress_controller_request_duration_seconds_bucket").ToDictionary(s => s["le"], s => s.Value);
        buckets.Should().Contain(new Dictionary<string, double>
        {
            ["0.005"] = 1, ["0.01"] = 1, ["0.025"] = 2, ["0.05"] = 3, ["0.5"] = 3, ["1"] = 4, ["10"] = 4, ["+Inf"] = 5,
        });
        exposition.Named("nginx_ingress_controller_request_duration_seconds_sum").Single().Value.Should().BeApproximately(20.758, 1e-9);
        exposition.Named("response_latency_ms_bucket").Select(s => s["le"]).Should().Equal("5", "10", "25", "50", "100", "250", "500", "1000", "2500", "5000", "10000", "+Inf");
    }

    [Fact]
    public void Escape_QuoteBackslashAndNewline_AreEscaped()
    {
        PrometheusExposition.Escape("a\"b\\c\nd").Should().Be("a\\\"b\\\\c\\nd");
    }

    [Fact]
    public void Window_RequestsWithoutARole_AreNotCountedForEitherWorkload()
    {
        var metrics = new ProxyMetrics(Namespace, "podinfo");

        metrics.Record(new ProxyRequest("podinfo", "h", "GET", "/", null, 80, null, null, null, 404, TimeSpan.FromMilliseconds(1)));

        metrics.Window(WorkloadRole.Canary, TimeSpan.FromMinutes(1)).Requests.Should().Be(0);
        metrics.Window(WorkloadRole.Primary, TimeSpan.FromMinutes(1)).Requests.Should().Be(0);
        metrics.TotalRequests.Should().Be(1);
    }

    /// <summary>nginx at canary weight 50, the canary (v2.0.0) failing every request, the primary (v1.0.0) none.</summary>
    private static Task<DemoHarness> StartFailingCanaryAsync() =>
        DemoHarness.StartAsync(
            "nginx",
            [Ingress("podinfo", "podinfo"), Ingress("podinfo-canary", "podinfo-canary", annotations: [("canary", "true"), ("canary-weight", "50")])],
            configureCluster: options => options.Versions[DemoHarness.Canary] = new DemoPodBehavior(1, TimeSpan.Zero, TimeSpan.Zero));

    private static async Task<Exposition> ScrapeAsync(DemoHarness demo)
    {
        using var client = new HttpClient();
        using var response = await client.GetAsync(new Uri(demo.Proxy.MetricsAddress, "/metrics"));
        response.Content.Headers.ContentType!.ToString().Should().StartWith("text/plain; version=0.0.4");
        return Exposition.Parse(await response.Content.ReadAsStringAsync());
    }
}
