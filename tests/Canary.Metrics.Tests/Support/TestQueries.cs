using Canary.Analysis;
using Canary.Model;
using Canary.Workloads;

namespace Canary.Metrics.Tests.Support;

/// <summary>Builds the metric queries the tests send: a canary "podinfo" in namespace "test".</summary>
internal static class TestQueries
{
    public static CanaryResource Canary(string? provider = TrafficProviders.Nginx, string? ingress = "podinfo", string? serviceName = null) =>
        new(
            new CanaryId("podinfo", "test"),
            new CanarySpec
            {
                TargetRef = new ObjectReference("apps/v1", "Deployment", "podinfo"),
                IngressRef = ingress is null ? null : new ObjectReference("networking.k8s.io/v1", "Ingress", ingress),
                Provider = provider,
                Service = new ServiceSpec { Name = serviceName, Port = 9898 },
            });

    public static MetricQuery Builtin(
        string provider,
        string metric = BuiltinMetrics.RequestSuccessRate,
        WorkloadRole role = WorkloadRole.Canary,
        TimeSpan? interval = null,
        string? ingress = "podinfo") =>
        new(Canary(provider, ingress), new MetricCheck { Name = metric, Interval = interval }, null) { Role = role };

    public static MetricQuery Template(
        string query,
        IReadOnlyDictionary<string, string>? variables = null,
        MetricProviderSpec? provider = null,
        string templateName = "error-rate",
        TimeSpan? interval = null,
        WorkloadRole role = WorkloadRole.Canary)
    {
        var check = new MetricCheck
        {
            Name = templateName,
            Interval = interval,
            TemplateRef = new TemplateReference(templateName),
            TemplateVariables = variables ?? new Dictionary<string, string>(),
        };
        var template = new MetricTemplate(templateName, "test", provider ?? new MetricProviderSpec(), query);
        return new MetricQuery(Canary(), check, template) { Role = role };
    }
}
