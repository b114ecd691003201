using Canary.Model;

namespace Canary.Core.Tests.Validation;

/// <summary>A canary that passes validation, for tests that break one thing in it.</summary>
internal static class ValidCanary
{
    public static readonly MetricTemplate ErrorRate =
        new("error-rate", "test", new MetricProviderSpec { Address = new Uri("http://prometheus:9090") }, "sum(rate(errors[{{ interval }}]))");

    public static CanaryResource Resource { get; } = new(
        new CanaryId("podinfo", "test"),
        new CanarySpec
        {
            TargetRef = new ObjectReference("apps/v1", "Deployment", "podinfo"),
            Provider = TrafficProviders.Traefik,
            Service = new ServiceSpec { Port = 80 },
            Analysis = new AnalysisSpec
            {
                Interval = TimeSpan.FromMinutes(1),
                Threshold = 5,
                MaxWeight = 50,
                StepWeight = 10,
                Metrics =
                [
                    new MetricCheck { Name = BuiltinMetrics.RequestSuccessRate, ThresholdRange = new ThresholdRange(Min: 99) },
                    new MetricCheck { Name = "error-rate", TemplateRef = new TemplateReference("error-rate"), ThresholdRange = new ThresholdRange(Max: 1) },
                ],
                Webhooks = [new WebhookSpec { Name = "load-test", Url = new Uri("http://loadtester.test/") }],
                Alerts = [new AlertSpec("on-call", AlertSeverity.Warn, new ProviderReference("slack"))],
            },
        });

    public static IReadOnlyCollection<MetricTemplate> Templates { get; } = [ErrorRate];

    public static CanaryResource With(Func<CanarySpec, CanarySpec> change) => Resource with { Spec = change(Resource.Spec) };

    public static CanaryResource WithAnalysis(Func<AnalysisSpec, AnalysisSpec> change) =>
        With(spec => spec with { Analysis = change(spec.Analysis) });
}
