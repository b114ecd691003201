using Canary.Metrics.Builtin;
using Canary.Metrics.Templates;
using Canary.Metrics.Tests.Support;
using Canary.Model;
using Canary.Workloads;

namespace Canary.Metrics.Tests.Builtin;

public sealed class BuiltinTrafficQueriesTests
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(90);

    [Fact]
    public void Nginx_Canary_CountsTheBuiltinMetricsSeriesOverTheWindow()
    {
        var (requests, errors, buckets, scale) = Render(TrafficProviders.Nginx, WorkloadRole.Canary);

        const string Selector = "namespace=\"test\",ingress=\"podinfo\",canary!=\"\"";
        requests.Should().Be($"sum(increase(nginx_ingress_controller_requests{{{Selector}}}[1m30s]))");
        errors.Should().Be($"sum(increase(nginx_ingress_controller_requests{{{Selector},status=~\"5.*\"}}[1m30s]))");
        buckets.Should().Be($"sum by (le) (increase(nginx_ingress_controller_request_duration_seconds_bucket{{{Selector}}}[1m30s]))");
        scale.Should().Be(1000);
    }

    [Fact]
    public void Nginx_Primary_SelectsRequestsWithoutCanaryLabel()
    {
        var (requests, _, _, _) = Render(TrafficProviders.Nginx, WorkloadRole.Primary);

        requests.Should().Be("sum(increase(nginx_ingress_controller_requests{namespace=\"test\",ingress=\"podinfo\",canary=\"\"}[1m30s]))");
    }

    [Fact]
    public void Traefik_Baseline_CountsTheBaselineServicesHistogram()
    {
        var (requests, errors, buckets, scale) = Render(TrafficProviders.Traefik, WorkloadRole.Baseline);

        const string Selector = "service=~\"test-podinfo-baseline-[0-9a-zA-Z-]+@kubernetescrd\"";
        requests.Should().Be($"sum(increase(traefik_service_request_duration_seconds_bucket{{{Selector},le=\"+Inf\"}}[1m30s]))");
        errors.Should().Be($"sum(increase(traefik_service_request_duration_seconds_bucket{{{Selector},code=~\"5..\",le=\"+Inf\"}}[1m30s]))");
        buckets.Should().Be($"sum by (le) (increase(traefik_service_request_duration_seconds_bucket{{{Selector}}}[1m30s]))");
        scale.Should().Be(1000);
    }

    [Fact]
    public void Linkerd_Canary_CountsInboundResponsesWithMillisecondBuckets()
    {
        var (requests, errors, buckets, scale) = Render(TrafficProviders.Linkerd, WorkloadRole.Canary);

        const string Selector = "namespace=\"test\",deployment=~\"podinfo\"";
        requests.Should().Be($"sum(increase(response_total{{{Selector},direction=\"inbound\"}}[1m30s]))");
        errors.Should().Be($"sum(increase(response_total{{{Selector},classification=\"failure\",direction=\"inbound\"}}[1m30s]))");
        buckets.Should().Be($"sum by (le) (increase(response_latency_ms_bucket{{{Selector},direction=\"inbound\"}}[1m30s]))");
        scale.Should().Be(1);
    }

    [Theory]
    [InlineData(TrafficProviders.LabelRatio)]
    [InlineData(TrafficProviders.GatewayApi)]
    [InlineData(TrafficProviders.Kubernetes)]
    public void AppMetrics_Baseline_CountsTheBaselinesPods(string provider)
    {
        var (requests, errors, buckets, scale) = Render(provider, WorkloadRole.Baseline);

        const string Selector = "kubernetes_namespace=\"test\",kubernetes_pod_name=~\"podinfo-baseline-[0-9a-zA-Z]+(-[0-9a-zA-Z]+)\"";
        requests.Should().Be($"sum(increase(http_request_duration_seconds_count{{{Selector}}}[1m30s]))");
        errors.Should().Be($"sum(increase(http_request_duration_seconds_count{{{Selector},status=~\"5.*\"}}[1m30s]))");
        buckets.Should().Be($"sum by (le) (increase(http_request_duration_seconds_bucket{{{Selector}}}[1m30s]))");
        scale.Should().Be(1000);
    }

    [Fact]
    public void Nginx_Baseline_ThrowsSayingWhy()
    {
        var act = () => BuiltinTrafficQueries.Get(TrafficProviders.Nginx, WorkloadRole.Baseline);

        act.Should().Throw<MetricTemplateException>().WithMessage(
            "no Prometheus traffic samples: traffic provider \"nginx\" cannot count the baseline workload's requests on its own.");
    }

    [Fact]
    public void Smi_ThrowsNamingTheProvidersThatCount()
    {
        var act = () => BuiltinTrafficQueries.Get("smi:v1alpha2", WorkloadRole.Canary);

        act.Should().Throw<MetricTemplateException>().WithMessage(
            "no Prometheus traffic samples: traffic provider \"smi:v1alpha2\" has no builtin request counters (those that do: nginx, traefik, linkerd, gatewayapi, kubernetes, label-ratio).");
    }

    private static (string Requests, string Errors, string Buckets, double Scale) Render(string provider, WorkloadRole role)
    {
        var queries = BuiltinTrafficQueries.Get(provider, role);
        var context = MetricTemplateContext.FromQuery(TestQueries.Builtin(provider, role: role, interval: Window));
        return (queries.Requests.Render(context), queries.Errors.Render(context), queries.Buckets.Render(context), queries.MillisecondsPerUnit);
    }
}
