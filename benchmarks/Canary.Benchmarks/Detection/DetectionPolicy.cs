using Canary.Model;

namespace Canary.Benchmarks.Detection;

/// <summary>A way to judge a canary, as the spec that selects it.</summary>
/// <param name="Name">The policy's name, for the table.</param>
/// <param name="Analysis">The analysis block of the spec.</param>
internal sealed record DetectionPolicy(string Name, AnalysisSpec Analysis)
{
    /// <summary>Returns the canary that a rollout with this policy deploys.</summary>
    public CanaryResource Canary() => new(new CanaryId("podinfo", "test"), new CanarySpec
    {
        TargetRef = new ObjectReference("apps/v1", "Deployment", "podinfo"),
        Provider = TrafficProviders.Nginx,
        Analysis = Analysis,
    });
}
