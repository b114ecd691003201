namespace Canary.Model;

/// <summary>
/// Where a canary's rollout stands: everything the engine needs to resume after a restart.
/// The engine reads it, decides, acts, and saves a new one; it never keeps state of its own between steps.
/// </summary>
public sealed record CanaryStatus
{
    // Declared before New, which reads it: static fields initialize in textual order.
    private static readonly IReadOnlyDictionary<string, int> EmptyCounts = new Dictionary<string, int>();

    /// <summary>Gets the status of a canary the engine has not seen yet.</summary>
    public static CanaryStatus New { get; } = new();

    /// <summary>Gets the canary's phase.</summary>
    public CanaryPhase Phase { get; init; } = CanaryPhase.Initializing;

    /// <summary>Gets the share of traffic, in percent, that the router reported for the canary.</summary>
    public int CanaryWeight { get; init; }

    /// <summary>Gets the number of weight steps taken in this run; it indexes the weight schedule.</summary>
    public int Step { get; init; }

    /// <summary>Gets the failed checks of this run; they add up until a new run starts.</summary>
    public int FailedChecks { get; init; }

    /// <summary>Gets the iterations of an A/B or blue/green run.</summary>
    public int Iterations { get; init; }

    /// <summary>Gets a value indicating whether traffic is being mirrored to the canary.</summary>
    public bool Mirrored { get; init; }

    /// <summary>Gets the revision of the target that the current or last run analysed.</summary>
    public string? LastAppliedSpec { get; init; }

    /// <summary>Gets the revision that was last promoted to the primary.</summary>
    public string? LastPromotedSpec { get; init; }

    /// <summary>Gets when the phase last changed.</summary>
    public DateTimeOffset LastTransitionTime { get; init; }

    /// <summary>Gets since when the workload being waited for has not been ready, or <see langword="null"/> while it is.</summary>
    public DateTimeOffset? NotReadySince { get; init; }

    /// <summary>Gets, per metric, how many consecutive intervals in a row a no-data policy has held the canary.</summary>
    public IReadOnlyDictionary<string, int> NoDataIntervals { get; init; } = EmptyCounts;

    /// <summary>Gets the evidence of this run's sequential judge, or <see langword="null"/> when it has none yet.</summary>
    public SequentialTestState? Sequential { get; init; }

    /// <summary>Gets the samples and last judgement of this run's Kayenta judge, or <see langword="null"/> when it has none yet.</summary>
    public KayentaJudgeState? Kayenta { get; init; }

    /// <summary>Gets a value indicating whether a host paused the rollout.</summary>
    public bool Paused { get; init; }

    /// <summary>Gets the host command that the next step applies, or <see langword="null"/>.</summary>
    public CanaryCommandRequest? PendingCommand { get; init; }

    /// <summary>Gets the last event's message, for hosts that show the status.</summary>
    public string? Message { get; init; }

    /// <summary>Gets a value indicating whether a rollout is under way (the phases the engine advances).</summary>
    public bool IsActive => Phase is CanaryPhase.Progressing or CanaryPhase.WaitingPromotion or CanaryPhase.Promoting or CanaryPhase.Finalising;

    /// <summary>Gets a value indicating whether the last rollout has ended, promoted or rolled back.</summary>
    public bool IsFinished => Phase is CanaryPhase.Succeeded or CanaryPhase.Failed;
}
