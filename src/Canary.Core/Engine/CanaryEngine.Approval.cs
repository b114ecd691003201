using Canary.Events;
using Canary.Gates;
using Canary.Model;

namespace Canary.Engine;

public sealed partial class CanaryEngine
{
    private readonly IApprovalGate? _approvals;

    /// <summary>
    /// Asks the host's approval gate about the spec's approval hooks (confirm hooks with an <c>approval:</c> URL) of a
    /// confirm point. The point's HTTP hooks have passed by then, so people are asked only about a canary that the
    /// automated gates would let through. Pending holds the canary where it is without a failed check; a rejection
    /// rolls it back with the reason; with no gate registered every approval stays pending.
    /// </summary>
    /// <returns><see langword="true"/> when every approval hook of the point approved (or it has none).</returns>
    private async ValueTask<bool> IsApprovedAsync(ReconcileStep step, ApprovalStage stage, string revision, CancellationToken cancellationToken)
    {
        var type = stage == ApprovalStage.Rollout ? WebhookType.ConfirmRollout : WebhookType.ConfirmPromotion;
        foreach (var hook in step.Analysis.Webhooks)
        {
            if (hook.Type != type || !WebhookSchemes.IsApprovalGate(hook))
            {
                continue;
            }

            var decision = _approvals is null
                ? ApprovalDecision.Pending
                : await _pipelines.Webhooks.ExecuteAsync(
                    static (state, ct) => state.gate.GetDecisionAsync(state.request, ct),
                    (gate: _approvals, request: new ApprovalRequest(step.Id, stage, revision, hook.Name, hook.Url)),
                    cancellationToken);
            switch (decision.Outcome)
            {
                case ApprovalOutcome.Approved:
                    continue;

                case ApprovalOutcome.Rejected:
                    // The rejected revision counts as this run's, so that it does not start again until retried.
                    Transition(step, step.Status with { LastAppliedSpec = revision });
                    var reason = string.IsNullOrWhiteSpace(decision.Reason) ? string.Empty : $": {decision.Reason}";
                    await RollbackAsync(step, SelectRouter(step.Canary),
                        $"{(stage == ApprovalStage.Rollout ? "rollout" : "promotion")} rejected by {hook.Name}{reason}", cancellationToken);
                    return false;

                default:
                    Transition(step, step.Status with { Phase = stage == ApprovalStage.Rollout ? CanaryPhase.Waiting : CanaryPhase.WaitingPromotion });
                    var waitingFor = stage == ApprovalStage.Rollout ? "approval" : "promotion approval";
                    var unanswerable = _approvals is null ? " (no approval gate is registered)" : string.Empty;
                    await EmitOnceAsync(step, CanaryEventType.Waiting,
                        $"Halt {step.Id} advancement waiting for {waitingFor} {hook.Name}{unanswerable}",
                        hook.MuteAlert ? AlertSeverity.Info : AlertSeverity.Warn, cancellationToken, webhook: hook.Name);
                    return false;
            }
        }

        return true;
    }
}
