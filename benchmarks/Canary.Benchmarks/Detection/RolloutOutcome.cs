namespace Canary.Benchmarks.Detection;

/// <summary>How one simulated rollout ended.</summary>
/// <param name="Promoted">Whether the canary was promoted.</param>
/// <param name="RolledBack">Whether it was rolled back.</param>
/// <param name="CanaryRequests">The requests the canary served before the decision.</param>
/// <param name="Duration">The (virtual) time from the new revision to the end of the rollout.</param>
internal readonly record struct RolloutOutcome(bool Promoted, bool RolledBack, long CanaryRequests, TimeSpan Duration);
