namespace Canary.Gates;

/// <summary>An approval gate's answer about one stage of a rollout.</summary>
/// <param name="Outcome">Whether the stage is pending, approved or rejected.</param>
/// <param name="Reason">Why, if the gate knows; a rejection's reason appears in the rollback event.</param>
public readonly record struct ApprovalDecision(ApprovalOutcome Outcome, string? Reason = null)
{
    /// <summary>Gets the answer while nobody has decided.</summary>
    public static ApprovalDecision Pending => new(ApprovalOutcome.Pending);

    /// <summary>Returns an approval.</summary>
    /// <param name="reason">Why, or <see langword="null"/>.</param>
    /// <returns>The decision.</returns>
    public static ApprovalDecision Approved(string? reason = null) => new(ApprovalOutcome.Approved, reason);

    /// <summary>Returns a rejection.</summary>
    /// <param name="reason">Why, for the rollback event.</param>
    /// <returns>The decision.</returns>
    public static ApprovalDecision Rejected(string? reason = null) => new(ApprovalOutcome.Rejected, reason);
}
