using Canary.Model;

namespace Canary.Benchmarks;

/// <summary>The canary spec every benchmark rolls out: Flagger's NGINX example (stepWeight 5 to 50, two builtin metrics).</summary>
internal static class BenchmarkCanaries
{
    public static CanaryResource Create(int index) => new(new CanaryId($"app-{index}", "bench"), new CanarySpec
    {
        TargetRef = new ObjectReference("apps/v1", "Deployment", $"app-{index}"),
        Provider = TrafficProviders.Nginx,
        Analysis = new AnalysisSpec
        {
            Interval = TimeSpan.FromMinutes(1),
            Threshold = 5,
            StepWeight = 5,
            MaxWeight = 50,
            Metrics =
            [
                new MetricCheck { Name = BuiltinMetrics.RequestSuccessRate, ThresholdRange = new(Min: 99) },
                new MetricCheck { Name = BuiltinMetrics.RequestDuration, ThresholdRange = new(Max: 500) },
            ],
        },
    });
}
