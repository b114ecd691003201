namespace Canary.Gates;

/// <summary>What a person decided about a stage of a rollout.</summary>
public enum ApprovalOutcome
{
    /// <summary>Nobody has decided yet: the canary waits, and no check fails.</summary>
    Pending,

    /// <summary>The stage may go ahead.</summary>
    Approved,

    /// <summary>The stage must not go ahead: the canary is rolled back.</summary>
    Rejected,
}
