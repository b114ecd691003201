namespace Canary.Model;

/// <summary>The phases of a canary, with the names Flagger users know.</summary>
public enum CanaryPhase
{
    /// <summary>The primary is being created from the target.</summary>
    Initializing,

    /// <summary>The primary serves all traffic; no rollout is under way.</summary>
    Initialized,

    /// <summary>A new revision waits for a confirm-rollout gate.</summary>
    Waiting,

    /// <summary>The canary is analysed and advanced.</summary>
    Progressing,

    /// <summary>Analysis is done; a confirm-promotion gate holds the canary.</summary>
    WaitingPromotion,

    /// <summary>The canary's template has been copied to the primary, which is rolling out.</summary>
    Promoting,

    /// <summary>All traffic is back on the primary; the canary is being scaled down.</summary>
    Finalising,

    /// <summary>The revision was promoted.</summary>
    Succeeded,

    /// <summary>The revision was rolled back.</summary>
    Failed,

    /// <summary>The canary is being deleted and the target restored.</summary>
    Terminating,

    /// <summary>The canary was deleted.</summary>
    Terminated,
}
