using Canary.Events;
using Canary.Model;

namespace Canary.Cli.Demo;

/// <summary>One rollout of the demo as it happened, for its summary and its report page.</summary>
/// <param name="Version">The version released, for example <c>2.0.0</c>.</param>
/// <param name="Description">What the version is like, for example <c>healthy</c>.</param>
/// <param name="PreviousVersion">The version the primary ran before.</param>
/// <param name="Events">The engine's events of the rollout, in order (the first rollout's include the initialization).</param>
/// <param name="Phase">The phase it ended in: <see cref="CanaryPhase.Succeeded"/>, <see cref="CanaryPhase.Failed"/>, or another when stopped.</param>
/// <param name="Answers">The users' answers by version during the rollout.</param>
/// <param name="Duration">The rollout's wall time, from the release to the decision.</param>
internal sealed record DemoRolloutRecord(
    string Version,
    string Description,
    string PreviousVersion,
    IReadOnlyList<CanaryEvent> Events,
    CanaryPhase? Phase,
    IReadOnlyDictionary<string, VersionCount> Answers,
    TimeSpan Duration)
{
    /// <summary>Gets how the rollout ended, in words: promoted, rolled back, or not finished.</summary>
    public string Outcome => Phase switch
    {
        CanaryPhase.Succeeded => "promoted",
        CanaryPhase.Failed => "rolled back",
        null => "not finished",
        { } other => $"stopped while {other}",
    };

    /// <summary>Gets how many times the canary's weight went up a step.</summary>
    public int WeightSteps => Events.Count(e => e.Type == CanaryEventType.WeightAdvanced);

    /// <summary>Gets the highest canary weight of the rollout.</summary>
    public int PeakWeight => Events.Count == 0 ? 0 : Events.Max(e => e.Weight);

    /// <summary>Gets the failed checks counted by the decision (the count only grows during a rollout, and is reset after it).</summary>
    public int FailedChecks => Events.Count == 0 ? 0 : Events.Max(e => e.FailedChecks);
}
