using Canary.Testing.Simulation;

namespace Canary.Benchmarks.Detection;

/// <summary>A canary version to roll out against a healthy primary.</summary>
/// <param name="Name">What the scenario shows, for the table.</param>
/// <param name="Canary">How the canary answers.</param>
/// <param name="IsRegression">Whether the canary is worse than the primary and should be rolled back.</param>
internal sealed record DetectionScenario(string Name, WorkloadBehavior Canary, bool IsRegression);
