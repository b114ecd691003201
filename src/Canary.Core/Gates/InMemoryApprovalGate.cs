using Canary.Model;

namespace Canary.Gates;

/// <summary>
/// An <see cref="IApprovalGate"/> that the host completes through <see cref="Approve"/> and <see cref="Reject"/>, for
/// a bot or an admin page in the same process. It keeps one decision per canary and stage, bound to a revision: a
/// decision made while the engine waits applies to the revision it waits on; one made before the engine asks applies
/// to the next revision asked about. A decision about one revision never answers for another, so approving v2 does not
/// let v3 through. Decisions live in memory only: a restarted host asks again.
/// </summary>
public sealed class InMemoryApprovalGate : IApprovalGate
{
    private static readonly ApprovalStage[] AllStages = Enum.GetValues<ApprovalStage>();

    private readonly Lock _lock = new();
    private readonly Dictionary<(CanaryId, ApprovalStage), (string? Revision, ApprovalDecision Decision)> _decisions = [];
    private readonly Dictionary<(CanaryId, ApprovalStage), ApprovalRequest> _pending = [];

    /// <summary>Gets the requests the engine is waiting on, for a host to show or announce.</summary>
    public IReadOnlyList<ApprovalRequest> Pending
    {
        get
        {
            lock (_lock)
            {
                return [.. _pending.Values];
            }
        }
    }

    /// <inheritdoc />
    public ValueTask<ApprovalDecision> GetDecisionAsync(ApprovalRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var key = (request.Canary, request.Stage);
        lock (_lock)
        {
            if (_decisions.TryGetValue(key, out var entry))
            {
                if (entry.Revision is null || entry.Revision == request.Revision)
                {
                    _decisions[key] = (request.Revision, entry.Decision);
                    _pending.Remove(key);
                    return ValueTask.FromResult(entry.Decision);
                }

                // A decision about an earlier revision says nothing about this one.
                _decisions.Remove(key);
            }

            _pending[key] = request;
            return ValueTask.FromResult(ApprovalDecision.Pending);
        }
    }

    /// <summary>Approves the canary's waiting stage, or its next request if none waits.</summary>
    /// <param name="canary">The canary.</param>
    /// <param name="stage">The stage, or <see langword="null"/> for the stages that wait (both when none does).</param>
    /// <param name="reason">Why, or <see langword="null"/>.</param>
    public void Approve(CanaryId canary, ApprovalStage? stage = null, string? reason = null) =>
        Decide(canary, stage, ApprovalDecision.Approved(reason));

    /// <summary>Rejects the canary's waiting stage, or its next request if none waits; the engine rolls the canary back.</summary>
    /// <param name="canary">The canary.</param>
    /// <param name="reason">Why, for the rollback event.</param>
    /// <param name="stage">The stage, or <see langword="null"/> for the stages that wait (both when none does).</param>
    public void Reject(CanaryId canary, string reason, ApprovalStage? stage = null) =>
        Decide(canary, stage, ApprovalDecision.Rejected(reason));

    private void Decide(CanaryId canary, ApprovalStage? stage, ApprovalDecision decision)
    {
        lock (_lock)
        {
            var waiting = AllStages.Where(s => _pending.ContainsKey((canary, s))).ToArray();
            foreach (var each in stage is { } one ? [one] : waiting.Length > 0 ? waiting : AllStages)
            {
                var key = (canary, each);
                _decisions[key] = (_pending.Remove(key, out var request) ? request.Revision : null, decision);
            }
        }
    }
}
