namespace Canary.Model;

/// <summary>When a webhook is called, and what its answer means.</summary>
public enum WebhookType
{
    /// <summary>Called at every analysis step before the metrics; a failure is a failed check.</summary>
    Rollout,

    /// <summary>Called before a new revision is scaled up; until it passes the canary waits.</summary>
    ConfirmRollout,

    /// <summary>Called before the canary takes its first traffic; a failure is a failed check.</summary>
    PreRollout,

    /// <summary>Called before each weight increase; until it passes the weight holds.</summary>
    ConfirmTrafficIncrease,

    /// <summary>Called before promotion; until it passes the canary waits for promotion, still analysed.</summary>
    ConfirmPromotion,

    /// <summary>Called after the rollout succeeded or failed; its answer is only logged.</summary>
    PostRollout,

    /// <summary>Called while the canary is analysed; a success rolls it back.</summary>
    Rollback,

    /// <summary>Called for every event the engine emits; its answer is only logged.</summary>
    Event,
}
