using Canary.Model;

namespace Canary.Core.Tests.Engine;

/// <summary>Canary specs for engine tests, as Flagger's docs write them.</summary>
internal static class TestCanaries
{
    public static readonly MetricCheck SuccessRate = new() { Name = BuiltinMetrics.RequestSuccessRate, ThresholdRange = new(Min: 99) };

    public static CanaryResource Canary(Func<AnalysisSpec, AnalysisSpec>? analysis = null, Func<CanarySpec, CanarySpec>? spec = null)
    {
        var baseAnalysis = new AnalysisSpec
        {
            Interval = TimeSpan.FromMinutes(1),
            Threshold = 5,
            StepWeight = 5,
            MaxWeight = 50,
            Metrics = [SuccessRate],
        };
        var canarySpec = new CanarySpec
        {
            TargetRef = new ObjectReference("apps/v1", "Deployment", "podinfo"),
            Provider = TrafficProviders.Nginx,
            Analysis = analysis is null ? baseAnalysis : analysis(baseAnalysis),
        };
        return new CanaryResource(new CanaryId("podinfo", "test"), spec is null ? canarySpec : spec(canarySpec));
    }

    public static WebhookSpec Webhook(string name, WebhookType type) => new() { Name = name, Type = type, Url = new Uri("http://hooks.test/" + name) };
}
