namespace Canary.Cli.Reports;

/// <summary>The rollout's outcome and why.</summary>
/// <param name="Outcome">How it ended.</param>
/// <param name="Title">The banner's headline.</param>
/// <param name="Reason">The engine's reason.</param>
/// <param name="Causes">The failed checks that led to a rollback, most recent last.</param>
/// <param name="Time">When the decision was taken, or <see langword="null"/> when there was none.</param>
/// <param name="EventIndex">The position of the deciding event, or -1.</param>
internal sealed record RolloutDecision(RolloutOutcome Outcome, string Title, string Reason, IReadOnlyList<string> Causes, DateTimeOffset? Time, int EventIndex);
