using Canary.Metrics.Builtin;
using Canary.Metrics.Templates;
using Canary.Metrics.Tests.Support;
using Canary.Model;
using Canary.Workloads;

namespace Canary.Metrics.Tests.Builtin;

public sealed class BuiltinPrometheusQueriesTests
{
    private const string HttpSelector = "kubernetes_namespace=\"test\",kubernetes_pod_name=~\"podinfo-[0-9a-zA-Z]+(-[0-9a-zA-Z]+)\"";

    private static string Render(string provider, string metric, WorkloadRole role = WorkloadRole.Canary) =>
        MetricQueryRenderer.Render(TestQueries.Builtin(provider, metric, role));

    [Fact]
    public void Nginx_SuccessRate_RendersFlaggerQuery()
    {
        var text = Render(TrafficProviders.Nginx, BuiltinMetrics.RequestSuccessRate);

        text.Should().Be(
            "sum(rate(nginx_ingress_controller_requests{namespace=\"test\",ingress=\"podinfo\",canary!=\"\",status!~\"5.*\"}[1m])) / " +
            "sum(rate(nginx_ingress_controller_requests{namespace=\"test\",ingress=\"podinfo\",canary!=\"\"}[1m])) * 100");
    }

    [Fact]
    public void Nginx_Duration_RendersP99OfHistogram()
    {
        var text = Render(TrafficProviders.Nginx, BuiltinMetrics.RequestDuration);

        text.Should().Be(
            "histogram_quantile(0.99, sum(rate(nginx_ingress_controller_request_duration_seconds_bucket{namespace=\"test\",ingress=\"podinfo\",canary!=\"\"}[1m])) by (le)) * 1000");
    }

    [Fact]
    public void Nginx_PrimarySuccessRate_SelectsRequestsWithoutCanaryLabel()
    {
        var text = Render(TrafficProviders.Nginx, BuiltinMetrics.RequestSuccessRate, WorkloadRole.Primary);

        text.Should().Be(
            "sum(rate(nginx_ingress_controller_requests{namespace=\"test\",ingress=\"podinfo\",canary=\"\",status!~\"5.*\"}[1m])) / " +
            "sum(rate(nginx_ingress_controller_requests{namespace=\"test\",ingress=\"podinfo\",canary=\"\"}[1m])) * 100");
    }

    [Fact]
    public void Nginx_Baseline_ThrowsSayingWhy()
    {
        var act = () => Render(TrafficProviders.Nginx, BuiltinMetrics.RequestSuccessRate, WorkloadRole.Baseline);

        act.Should().Throw<MetricTemplateException>()
            .WithMessage("no builtin query for metric \"request-success-rate\": traffic provider \"nginx\" cannot measure the baseline workload*MetricTemplate*");
    }

    [Fact]
    public void Nginx_WithoutIngressRef_ThrowsNamingIngress()
    {
        var query = TestQueries.Builtin(TrafficProviders.Nginx, ingress: null);

        var act = () => MetricQueryRenderer.Render(query);

        act.Should().Throw<MetricTemplateException>()
            .WithMessage("template variable \"ingress\" in builtin metric \"request-success-rate\" of nginx has no value: the canary has no spec.ingressRef.");
    }

    [Fact]
    public void Traefik_SuccessRate_RendersFlaggerQuery()
    {
        var text = Render(TrafficProviders.Traefik, BuiltinMetrics.RequestSuccessRate);

        text.Should().Be(
            "sum(rate(traefik_service_request_duration_seconds_bucket{service=~\"test-podinfo-canary-[0-9a-zA-Z-]+@kubernetescrd\",code!~\"5..\",le=\"+Inf\"}[1m])) / " +
            "sum(rate(traefik_service_request_duration_seconds_bucket{service=~\"test-podinfo-canary-[0-9a-zA-Z-]+@kubernetescrd\",le=\"+Inf\"}[1m])) * 100");
    }

    [Fact]
    public void Traefik_Duration_RendersFlaggerQuery()
    {
        var text = Render(TrafficProviders.Traefik, BuiltinMetrics.RequestDuration);

        text.Should().Be(
            "histogram_quantile(0.99, sum(rate(traefik_service_request_duration_seconds_bucket{service=~\"test-podinfo-canary-[0-9a-zA-Z-]+@kubernetescrd\"}[1m])) by (le)) * 1000");
    }

    [Fact]
    public void Traefik_Primary_SelectsPrimaryService()
    {
        var text = Render(TrafficProviders.Traefik, BuiltinMetrics.RequestDuration, WorkloadRole.Primary);

        text.Should().Contain("service=~\"test-podinfo-primary-[0-9a-zA-Z-]+@kubernetescrd\"");
    }

    [Fact]
    public void Linkerd_SuccessRate_RendersFlaggerQuery()
    {
        var text = Render(TrafficProviders.Linkerd, BuiltinMetrics.RequestSuccessRate);

        text.Should().Be(
            "sum(rate(response_total{namespace=\"test\",deployment=~\"podinfo\",classification!=\"failure\",direction=\"inbound\"}[1m])) / " +
            "sum(rate(response_total{namespace=\"test\",deployment=~\"podinfo\",direction=\"inbound\"}[1m])) * 100");
    }

    [Fact]
    public void Linkerd_Duration_RendersFlaggerQueryInMilliseconds()
    {
        var text = Render(TrafficProviders.Linkerd, BuiltinMetrics.RequestDuration);

        text.Should().Be(
            "histogram_quantile(0.99, sum(rate(response_latency_ms_bucket{namespace=\"test\",deployment=~\"podinfo\",direction=\"inbound\"}[1m])) by (le))");
    }

    [Fact]
    public void Linkerd_Primary_SelectsPrimaryDeployment()
    {
        var text = Render(TrafficProviders.Linkerd, BuiltinMetrics.RequestSuccessRate, WorkloadRole.Primary);

        text.Should().Contain("deployment=~\"podinfo-primary\"").And.NotContain("deployment=~\"podinfo\"");
    }

    [Theory]
    [InlineData(TrafficProviders.Kubernetes)]
    [InlineData(TrafficProviders.GatewayApi)]
    [InlineData("gatewayapi:v1beta1")]
    [InlineData(TrafficProviders.LabelRatio)]
    public void Http_SuccessRate_RendersFlaggerQuery(string provider)
    {
        var text = Render(provider, BuiltinMetrics.RequestSuccessRate);

        text.Should().Be(
            $"sum(rate(http_request_duration_seconds_count{{{HttpSelector},status!~\"5.*\"}}[1m])) / " +
            $"sum(rate(http_request_duration_seconds_count{{{HttpSelector}}}[1m])) * 100");
    }

    [Theory]
    [InlineData(TrafficProviders.Kubernetes)]
    [InlineData(TrafficProviders.GatewayApi)]
    [InlineData(TrafficProviders.LabelRatio)]
    public void Http_Duration_RendersP99InMilliseconds(string provider)
    {
        var text = Render(provider, BuiltinMetrics.RequestDuration);

        text.Should().Be($"histogram_quantile(0.99, sum(rate(http_request_duration_seconds_bucket{{{HttpSelector}}}[1m])) by (le)) * 1000");
    }

    [Fact]
    public void Http_Primary_SelectsPrimaryPods()
    {
        var text = Render(TrafficProviders.LabelRatio, BuiltinMetrics.RequestSuccessRate, WorkloadRole.Primary);

        text.Should().Contain("kubernetes_pod_name=~\"podinfo-primary-[0-9a-zA-Z]+(-[0-9a-zA-Z]+)\"");
    }

    [Fact]
    public void Interval_IsRenderedAsGoDuration()
    {
        var query = TestQueries.Builtin(TrafficProviders.Linkerd, interval: TimeSpan.FromSeconds(90));

        var text = MetricQueryRenderer.Render(query);

        text.Should().Contain("[1m30s]").And.NotContain("[1m]");
    }

    [Fact]
    public void Smi_HasNoBuiltinQueries_ThrowsSuggestingTemplate()
    {
        var act = () => Render("smi:v1alpha3", BuiltinMetrics.RequestSuccessRate);

        act.Should().Throw<MetricTemplateException>()
            .WithMessage("no builtin query for metric \"request-success-rate\": traffic provider \"smi\" has no builtin Prometheus queries (those that do: nginx, traefik, linkerd, gatewayapi, kubernetes, label-ratio); define the metric with a MetricTemplate.");
    }

    [Fact]
    public void TryGet_EveryProviderAndMetric_HasCanaryQuery()
    {
        var missing = BuiltinPrometheusQueries.TrafficProviders
            .SelectMany(p => new[] { BuiltinMetrics.RequestSuccessRate, BuiltinMetrics.RequestDuration }.Select(m => (p, m)))
            .Where(pm => !BuiltinPrometheusQueries.TryGet(pm.p, pm.m, WorkloadRole.Canary, out _))
            .ToList();

        missing.Should().BeEmpty();
    }
}
