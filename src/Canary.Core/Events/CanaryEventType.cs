namespace Canary.Events;

/// <summary>The kinds of <see cref="CanaryEvent"/>; their numbers are the stable logging EventIds (1000 + value).</summary>
public enum CanaryEventType
{
    /// <summary>The primary was created and serves all traffic.</summary>
    Initialized = 1,

    /// <summary>A new revision was detected and the canary scaled up.</summary>
    NewRevision = 2,

    /// <summary>The revision changed during analysis; the analysis starts over.</summary>
    AnalysisRestarted = 3,

    /// <summary>A confirm gate holds the canary where it is.</summary>
    Waiting = 4,

    /// <summary>The first analysis step of a run began.</summary>
    AnalysisStarted = 5,

    /// <summary>The canary's traffic weight went up.</summary>
    WeightAdvanced = 6,

    /// <summary>An A/B or blue/green iteration passed.</summary>
    IterationAdvanced = 7,

    /// <summary>A metric check passed.</summary>
    CheckPassed = 8,

    /// <summary>A metric check or a gating webhook failed.</summary>
    CheckFailed = 9,

    /// <summary>A metric had no data and its policy held the canary.</summary>
    CheckHeld = 10,

    /// <summary>A workload is not ready yet.</summary>
    WorkloadNotReady = 11,

    /// <summary>Mirrored or all traffic went to the canary.</summary>
    TrafficShifted = 12,

    /// <summary>The canary's template is being copied to the primary.</summary>
    PromotionStarted = 13,

    /// <summary>The primary's weight went up during a stepped promotion.</summary>
    PrimaryWeightAdvanced = 14,

    /// <summary>The revision was promoted and the canary scaled down.</summary>
    Promoted = 15,

    /// <summary>The canary is being rolled back, with the reason.</summary>
    RollingBack = 16,

    /// <summary>The canary was rolled back and scaled down.</summary>
    RolledBack = 17,

    /// <summary>A host command was applied.</summary>
    CommandApplied = 18,

    /// <summary>A host command did not apply to the canary's phase.</summary>
    CommandIgnored = 19,

    /// <summary>The canary is suspended and was skipped.</summary>
    Suspended = 20,

    /// <summary>A port call failed; the step will be tried again.</summary>
    StepFailed = 21,
}
