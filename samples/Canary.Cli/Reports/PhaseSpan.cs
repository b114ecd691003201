using Canary.Model;

namespace Canary.Cli.Reports;

/// <summary>A stretch of time the canary spent in one phase.</summary>
/// <param name="Start">When the phase began.</param>
/// <param name="End">When the next phase began, or the end of the rollout.</param>
/// <param name="Phase">The phase.</param>
internal sealed record PhaseSpan(DateTimeOffset Start, DateTimeOffset End, CanaryPhase Phase);
