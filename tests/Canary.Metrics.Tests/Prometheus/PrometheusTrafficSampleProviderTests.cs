using System.Net;
using Canary.Analysis;
using Canary.Metrics.Prometheus;
using Canary.Metrics.Templates;
using Canary.Metrics.Tests.Support;
using Canary.Model;
using Canary.Workloads;
using Microsoft.AspNetCore.Http;

namespace Canary.Metrics.Tests.Prometheus;

public sealed class PrometheusTrafficSampleProviderTests : IDisposable
{
    private const string Token = "s3cr3t-t0ken-value";
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly HttpClient _httpClient = new();
    private readonly RecordingLogger<PrometheusTrafficSampleProvider> _logger = new();

    public void Dispose() => _httpClient.Dispose();

    [Fact]
    public async Task GetCountsAsync_NginxCanary_SendsThreeIncreaseQueriesOverTheWindow()
    {
        await using var server = await StartAsync(requests: Vector("0"), errors: Empty, buckets: Empty);

        await Provider(server).GetCountsAsync(Canary(TrafficProviders.Nginx), WorkloadRole.Canary, TimeSpan.FromSeconds(75), CancellationToken.None);

        const string Selector = "namespace=\"test\",ingress=\"podinfo\",canary!=\"\"";
        server.Requests.Select(r => r.Query).Should().Equal(
            $"sum(increase(nginx_ingress_controller_requests{{{Selector}}}[1m15s]))",
            $"sum(increase(nginx_ingress_controller_requests{{{Selector},status=~\"5.*\"}}[1m15s]))",
            $"sum by (le) (increase(nginx_ingress_controller_request_duration_seconds_bucket{{{Selector}}}[1m15s]))");
    }

    [Fact]
    public async Task GetCountsAsync_Answers_RoundsCountsAndConvertsBucketsToMilliseconds()
    {
        await using var server = await StartAsync(
            requests: Vector("300.4"),
            errors: Vector("15.2"),
            buckets: Buckets(("+Inf", "300.4"), ("0.1", "270.2"), ("0.05", "0"), ("0.5", "300.4")));

        var counts = await Provider(server).GetCountsAsync(Canary(TrafficProviders.Nginx), WorkloadRole.Canary, Window, CancellationToken.None);

        counts.Requests.Should().Be(300);
        counts.Errors.Should().Be(15);
        counts.LatencyBuckets.Should().Equal(new LatencyBucket(50, 0), new LatencyBucket(100, 270), new LatencyBucket(500, 300), new LatencyBucket(double.PositiveInfinity, 300));
    }

    [Fact]
    public async Task GetCountsAsync_BucketsExtrapolatedOutOfOrder_StayCumulative()
    {
        await using var server = await StartAsync(
            requests: Vector("100"),
            errors: Empty,
            buckets: Buckets(("0.1", "60.4"), ("0.25", "59.8"), ("+Inf", "100")));

        var counts = await Provider(server).GetCountsAsync(Canary(TrafficProviders.Nginx), WorkloadRole.Canary, Window, CancellationToken.None);

        counts.LatencyBuckets.Should().Equal(new LatencyBucket(100, 60), new LatencyBucket(250, 60), new LatencyBucket(double.PositiveInfinity, 100));
    }

    [Fact]
    public async Task GetCountsAsync_OneBoundWrittenTwoWays_IsOneBucket()
    {
        await using var server = await StartAsync(requests: Vector("10"), errors: Empty, buckets: Buckets(("0.1", "4"), ("0.10", "3"), ("+Inf", "10")));

        var counts = await Provider(server).GetCountsAsync(Canary(TrafficProviders.Nginx), WorkloadRole.Canary, Window, CancellationToken.None);

        counts.LatencyBuckets.Should().Equal(new LatencyBucket(100, 7), new LatencyBucket(double.PositiveInfinity, 10));
    }

    [Fact]
    public async Task GetCountsAsync_NothingServed_IsZeroWithoutBuckets()
    {
        await using var server = await StartAsync(requests: Empty, errors: Empty, buckets: Empty);

        var counts = await Provider(server).GetCountsAsync(Canary(TrafficProviders.Nginx), WorkloadRole.Canary, Window, CancellationToken.None);

        counts.Should().BeEquivalentTo(TrafficCounts.Empty);
        counts.LatencyBuckets.Should().BeEmpty();
    }

    [Fact]
    public async Task GetCountsAsync_NoErrorSeries_CountsNoErrors()
    {
        await using var server = await StartAsync(requests: Vector("120"), errors: Empty, buckets: Empty);

        var counts = await Provider(server).GetCountsAsync(Canary(TrafficProviders.Nginx), WorkloadRole.Canary, Window, CancellationToken.None);

        counts.Should().Be(new TrafficCounts(120, 0));
    }

    [Fact]
    public async Task GetCountsAsync_ErrorsExtrapolatedAboveRequests_AreCappedAtTheRequests()
    {
        await using var server = await StartAsync(requests: Vector("10"), errors: Vector("10.6"), buckets: Empty);

        var counts = await Provider(server).GetCountsAsync(Canary(TrafficProviders.Nginx), WorkloadRole.Canary, Window, CancellationToken.None);

        counts.Errors.Should().Be(10);
    }

    [Fact]
    public async Task GetCountsAsync_HistogramWithoutInfBucket_GivesNoBuckets()
    {
        await using var server = await StartAsync(requests: Vector("10"), errors: Empty, buckets: Buckets(("0.1", "4"), ("0.5", "10")));

        var counts = await Provider(server).GetCountsAsync(Canary(TrafficProviders.Nginx), WorkloadRole.Canary, Window, CancellationToken.None);

        counts.LatencyBuckets.Should().BeEmpty();
    }

    [Fact]
    public async Task GetCountsAsync_Linkerd_KeepsMillisecondBucketsAsTheyAre()
    {
        await using var server = await StartAsync(requests: Vector("10"), errors: Empty, buckets: Buckets(("100", "9"), ("+Inf", "10")));

        var counts = await Provider(server).GetCountsAsync(Canary(TrafficProviders.Linkerd), WorkloadRole.Primary, Window, CancellationToken.None);

        counts.LatencyBuckets.Should().Equal(new LatencyBucket(100, 9), new LatencyBucket(double.PositiveInfinity, 10));
        server.Requests.First().Query.Should().Contain("deployment=~\"podinfo-primary\"");
    }

    [Fact]
    public async Task GetCountsAsync_LabelRatioBaseline_CountsTheBaselinesPods()
    {
        await using var server = await StartAsync(requests: Vector("10"), errors: Empty, buckets: Empty);

        await Provider(server).GetCountsAsync(Canary(TrafficProviders.LabelRatio), WorkloadRole.Baseline, Window, CancellationToken.None);

        server.Requests.Should().OnlyContain(r => r.Query!.Contains("kubernetes_pod_name=~\"podinfo-baseline-[0-9a-zA-Z]+(-[0-9a-zA-Z]+)\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task GetCountsAsync_NginxBaseline_ThrowsWithoutAsking()
    {
        await using var server = await StartAsync(requests: Vector("10"), errors: Empty, buckets: Empty);

        var act = async () => await Provider(server).GetCountsAsync(Canary(TrafficProviders.Nginx), WorkloadRole.Baseline, Window, CancellationToken.None);

        (await act.Should().ThrowAsync<MetricTemplateException>()).Which.Message.Should().Contain("cannot count the baseline workload's requests");
        server.Requests.Should().BeEmpty();
    }

    [Fact]
    public async Task GetCountsAsync_PrometheusError_ThrowsWithItsMessage()
    {
        const string Error = """{"status":"error","errorType":"bad_data","error":"parse error"}""";
        await using var server = await FakePrometheusServer.StartAsync(Error, HttpStatusCode.BadRequest);

        var act = async () => await Provider(server).GetCountsAsync(Canary(TrafficProviders.Nginx), WorkloadRole.Canary, Window, CancellationToken.None);

        (await act.Should().ThrowAsync<PrometheusQueryException>())
            .WithMessage("Prometheus at * rejected the query (bad_data, HTTP 400): parse error Query: sum(increase(*")
            .Which.ErrorType.Should().Be("bad_data");
    }

    [Fact]
    public async Task GetCountsAsync_NaNCount_Throws()
    {
        await using var server = await StartAsync(requests: Vector("NaN"), errors: Empty, buckets: Empty);

        var act = async () => await Provider(server).GetCountsAsync(Canary(TrafficProviders.Nginx), WorkloadRole.Canary, Window, CancellationToken.None);

        (await act.Should().ThrowAsync<PrometheusQueryException>()).WithMessage("Prometheus at * returned NaN, which is not a count of requests. Query: *");
    }

    [Fact]
    public async Task GetCountsAsync_BucketWithoutLe_Throws()
    {
        await using var server = await StartAsync(requests: Vector("1"), errors: Empty, buckets: Vector("1"));

        var act = async () => await Provider(server).GetCountsAsync(Canary(TrafficProviders.Nginx), WorkloadRole.Canary, Window, CancellationToken.None);

        (await act.Should().ThrowAsync<PrometheusQueryException>()).WithMessage("Prometheus at * returned a histogram bucket without a numeric \"le\" label. Query: sum by (le)*");
    }

    [Fact]
    public async Task GetCountsAsync_BearerToken_SentWithEveryQueryAndNeverLogged()
    {
        await using var server = await StartAsync(requests: Vector("1"), errors: Empty, buckets: Empty);

        await Provider(server, Token).GetCountsAsync(Canary(TrafficProviders.Nginx), WorkloadRole.Canary, Window, CancellationToken.None);

        server.Requests.Should().HaveCount(3).And.OnlyContain(r => r.Authorization == "Bearer " + Token);
        _logger.AllText.Should().Contain("counted for the Canary of canary podinfo.test: 1 requests, 0 errors, 0 latency buckets").And.NotContain(Token);
    }

    private PrometheusTrafficSampleProvider Provider(FakePrometheusServer server, string? token = null) =>
        new(_httpClient, new PrometheusOptions { Address = server.Address, BearerToken = token }, _logger);

    private static CanaryResource Canary(string provider) => TestQueries.Canary(provider);

    private static string Empty => Vector();

    private static string Vector(params string[] values) => FakePrometheusServer.Vector(values);

    private static string Buckets(params (string Le, string Value)[] buckets)
    {
        var samples = buckets.Select(b => "{\"metric\":{\"le\":\"" + b.Le + "\"},\"value\":[1700000000.123,\"" + b.Value + "\"]}");
        return "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[" + string.Join(',', samples) + "]}}";
    }

    /// <summary>A server that answers each of the three queries by its shape: the bucket query by (le), the error query by its 5xx filter.</summary>
    private static Task<FakePrometheusServer> StartAsync(string requests, string errors, string buckets) =>
        FakePrometheusServer.StartAsync(context =>
        {
            var query = context.Request.Query["query"].ToString();
            var body = query.StartsWith("sum by (le)", StringComparison.Ordinal) ? buckets
                : query.Contains("5.*", StringComparison.Ordinal) || query.Contains("5..", StringComparison.Ordinal) || query.Contains("failure", StringComparison.Ordinal) ? errors
                : requests;
            return FakePrometheusServer.Respond(context, HttpStatusCode.OK, "application/json", body);
        });
}
