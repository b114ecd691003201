using Canary.Routing;

namespace Canary.Testing.Simulation;

/// <summary>What a <see cref="SimulatedCluster"/> runs for one canary, as a snapshot.</summary>
/// <param name="TargetRevision">The revision the user deployed to the target.</param>
/// <param name="PrimaryRevision">The revision the primary runs, or <see langword="null"/> before initialization.</param>
/// <param name="PrimaryReplicas">The primary's replicas.</param>
/// <param name="CanaryReplicas">The canary's replicas; zero between rollouts.</param>
/// <param name="Routes">The weights the router applies.</param>
/// <param name="RouteWrites">How many times the routes were changed.</param>
public sealed record SimulatedWorkloads(
    string TargetRevision,
    string? PrimaryRevision,
    int PrimaryReplicas,
    int CanaryReplicas,
    TrafficRoutes Routes,
    int RouteWrites)
{
    /// <summary>Gets the baseline's replicas; zero unless a run with <c>analysis.baseline</c> is under way.</summary>
    public int BaselineReplicas { get; init; }

    /// <summary>Gets the revision the baseline runs (the primary's when it was started), or <see langword="null"/> when none runs.</summary>
    public string? BaselineRevision { get; init; }
}
