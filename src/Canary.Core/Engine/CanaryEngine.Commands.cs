using Canary.Events;
using Canary.Model;

namespace Canary.Engine;

public sealed partial class CanaryEngine
{
    /// <summary>Applies the host's pending command, if any.</summary>
    /// <returns><see langword="true"/> when the command ended the step.</returns>
    private async ValueTask<bool> ApplyCommandAsync(ReconcileStep step, CancellationToken cancellationToken)
    {
        if (step.Status.PendingCommand is not { } request)
        {
            return false;
        }

        Transition(step, step.Status with { PendingCommand = null });
        var reason = string.IsNullOrWhiteSpace(request.Reason) ? string.Empty : $": {request.Reason}";
        var phase = step.Status.Phase;
        switch (request.Command)
        {
            case CanaryCommand.Pause:
                Transition(step, step.Status with { Paused = true });
                await EmitAsync(step, CanaryEventType.CommandApplied, $"Paused {step.Id}{reason}", AlertSeverity.Warn, cancellationToken);
                return true;

            case CanaryCommand.Resume when step.Status.Paused:
                // The time spent paused does not count against the progress deadline.
                Transition(step, step.Status with { Paused = false, NotReadySince = null });
                await EmitAsync(step, CanaryEventType.CommandApplied, $"Resumed {step.Id}{reason}", AlertSeverity.Info, cancellationToken);
                return false;

            case CanaryCommand.Abort when phase is CanaryPhase.Progressing or CanaryPhase.WaitingPromotion or CanaryPhase.Waiting:
                await EmitAsync(step, CanaryEventType.CommandApplied, $"Abort requested for {step.Id}{reason}", AlertSeverity.Warn, cancellationToken);
                await RollbackAsync(step, SelectRouter(step.Canary), $"aborted by host{reason}", cancellationToken);
                return true;

            case CanaryCommand.Promote when phase is CanaryPhase.Progressing or CanaryPhase.WaitingPromotion:
                await EmitAsync(step, CanaryEventType.CommandApplied, $"Promotion requested for {step.Id}{reason}", AlertSeverity.Info, cancellationToken);
                await StartPromotionAsync(step, cancellationToken);
                return true;

            case CanaryCommand.Retry when phase is CanaryPhase.Failed:
                // Forgetting the analysed revision makes the failed one new again; the step goes on to start its run.
                Transition(step, step.Status with { LastAppliedSpec = null, Paused = false });
                await EmitAsync(step, CanaryEventType.CommandApplied, $"Retrying {step.Id}{reason}", AlertSeverity.Info, cancellationToken);
                return false;

            default:
                await EmitAsync(step, CanaryEventType.CommandIgnored,
                    $"{request.Command} ignored for {step.Id}: not applicable in phase {phase}{(request.Command == CanaryCommand.Resume ? " (not paused)" : string.Empty)}",
                    AlertSeverity.Warn, cancellationToken);
                return false;
        }
    }
}
