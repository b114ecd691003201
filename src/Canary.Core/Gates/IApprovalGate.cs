namespace Canary.Gates;

/// <summary>
/// Lets people approve or reject a rollout from the host that embeds the engine: a chat-ops bot, a pipeline's manual
/// step, an admin page. The engine asks it at the confirm-rollout and confirm-promotion points of canaries whose spec
/// has a confirm hook with an <c>approval:</c> URL, after that point's HTTP hooks have passed.
/// </summary>
/// <remarks>
/// The engine asks again at every step until the answer is no longer <see cref="ApprovalOutcome.Pending"/>, and may ask
/// again about a stage it was given an answer for (after a crash, say), so the same request must get the same answer.
/// </remarks>
public interface IApprovalGate
{
    /// <summary>Returns the decision about a stage of a canary's rollout; pending while nobody has decided.</summary>
    /// <param name="request">The canary, stage, revision and hook the engine asks about.</param>
    /// <param name="cancellationToken">A token that cancels the question.</param>
    /// <returns>The decision.</returns>
    ValueTask<ApprovalDecision> GetDecisionAsync(ApprovalRequest request, CancellationToken cancellationToken);
}
