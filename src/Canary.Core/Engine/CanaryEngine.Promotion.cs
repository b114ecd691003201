using Canary.Events;
using Canary.Gates;
using Canary.Model;
using Canary.Routing;
using Canary.Workloads;

namespace Canary.Engine;

public sealed partial class CanaryEngine
{
    private async ValueTask ConfirmAndStartPromotionAsync(ReconcileStep step, CancellationToken cancellationToken)
    {
        var gate = await _gates.RunAsync(step.Canary, step.Status, WebhookType.ConfirmPromotion, cancellationToken);
        if (!gate.Passed)
        {
            // Analysis goes on while the canary waits: a regression can still roll it back.
            Transition(step, step.Status with { Phase = CanaryPhase.WaitingPromotion });
            await EmitOnceAsync(step, CanaryEventType.Waiting,
                $"Halt {step.Id} advancement waiting for promotion approval {gate.FailedWebhook!.Name}",
                gate.FailedWebhook.MuteAlert ? AlertSeverity.Info : AlertSeverity.Warn, cancellationToken, webhook: gate.FailedWebhook.Name);
            return;
        }

        if (!await IsApprovedAsync(step, ApprovalStage.Promotion, step.Status.LastAppliedSpec ?? string.Empty, cancellationToken))
        {
            return;
        }

        await StartPromotionAsync(step, cancellationToken);
    }

    private async ValueTask StartPromotionAsync(ReconcileStep step, CancellationToken cancellationToken)
    {
        var target = step.Canary.Spec.TargetRef.Name;
        await EmitAsync(step, CanaryEventType.PromotionStarted,
            $"Copying {target}.{step.Id.Namespace} template spec to {target}-primary.{step.Id.Namespace}", AlertSeverity.Info, cancellationToken);
        await _pipelines.Workloads.ExecuteAsync(
            static (state, ct) => state.workloads.PromoteAsync(state.canary, ct),
            (workloads: _workloads, canary: step.Canary),
            cancellationToken);
        await ScaleDownBaselineAsync(step, cancellationToken);
        Transition(step, step.Status with { Phase = CanaryPhase.Promoting, NotReadySince = null });
    }

    private async ValueTask ContinuePromotionAsync(ReconcileStep step, ITrafficRouter router, CancellationToken cancellationToken)
    {
        if (step.Status.Phase == CanaryPhase.Finalising)
        {
            await FinishPromotionAsync(step, cancellationToken);
            return;
        }

        if (!await IsPrimaryReadyAsync(step, router, cancellationToken))
        {
            return;
        }

        var stepWeight = step.Analysis.StepWeightPromotion;
        if (stepWeight is > 0 && step.Analysis.Strategy == DeploymentStrategy.Canary && step.Status.CanaryWeight > stepWeight)
        {
            var canaryWeight = step.Status.CanaryWeight - stepWeight.Value;
            await SetRoutesAsync(step, router, TrafficRoutes.ForCanary(canaryWeight), cancellationToken);
            await EmitAsync(step, CanaryEventType.PrimaryWeightAdvanced,
                $"Advance {step.Id} primary weight {100 - step.Status.CanaryWeight}", AlertSeverity.Info, cancellationToken);
            return;
        }

        await SetRoutesAsync(step, router, TrafficRoutes.PrimaryOnly, cancellationToken);
        Transition(step, step.Status with { Phase = CanaryPhase.Finalising });
        await EmitAsync(step, CanaryEventType.TrafficShifted, $"Routing all traffic to primary {step.Id}", AlertSeverity.Info, cancellationToken);
    }

    private async ValueTask<bool> IsPrimaryReadyAsync(ReconcileStep step, ITrafficRouter router, CancellationToken cancellationToken)
    {
        var readiness = await GetReadinessAsync(step, WorkloadRole.Primary, cancellationToken);
        if (readiness.State == WorkloadReadinessState.Ready)
        {
            return true;
        }

        var now = _time.GetUtcNow();
        var since = step.Status.NotReadySince ?? now;
        var primary = $"{step.Canary.Spec.TargetRef.Name}-primary.{step.Id.Namespace}";
        if (readiness.State == WorkloadReadinessState.Failed || now - since >= step.Canary.Spec.ProgressDeadline)
        {
            // The primary now runs the new template and cannot roll it out; the canary still runs it, ready, so it
            // takes the traffic rather than leaving users on a broken primary.
            await SetRoutesAsync(step, router, TrafficRoutes.CanaryOnly, cancellationToken);
            Transition(step, step.Status with { Phase = CanaryPhase.Failed, NotReadySince = null });
            await EmitAsync(step, CanaryEventType.RolledBack,
                $"Promotion failed! primary deployment {primary} not ready: {readiness.Reason}; routing all traffic to canary {step.Id}",
                AlertSeverity.Error, cancellationToken);
            return false;
        }

        if (step.Status.NotReadySince is null)
        {
            Transition(step, step.Status with { NotReadySince = since });
        }

        await EmitOnceAsync(step, CanaryEventType.WorkloadNotReady,
            $"primary deployment {primary} not ready: {readiness.Reason}", AlertSeverity.Info, cancellationToken);
        return false;
    }

    private async ValueTask FinishPromotionAsync(ReconcileStep step, CancellationToken cancellationToken)
    {
        await _pipelines.Workloads.ExecuteAsync(
            static (state, ct) => state.workloads.ScaleDownCanaryAsync(state.canary, ct),
            (workloads: _workloads, canary: step.Canary),
            cancellationToken);
        Transition(step, step.Status with
        {
            Phase = CanaryPhase.Succeeded,
            CanaryWeight = 0,
            Mirrored = false,
            NotReadySince = null,
            LastPromotedSpec = step.Status.LastAppliedSpec,
        });
        await EmitAsync(step, CanaryEventType.Promoted, $"Promotion completed! Scaling down {step.Id}", AlertSeverity.Info, cancellationToken);
        await SaveAsync(step, cancellationToken);
        await _gates.NotifyAsync(step.Canary, step.Status, WebhookType.PostRollout, null, cancellationToken);
    }

    private async ValueTask PromoteWithoutAnalysisAsync(ReconcileStep step, ITrafficRouter router, CancellationToken cancellationToken)
    {
        await SetRoutesAsync(step, router, TrafficRoutes.PrimaryOnly, cancellationToken);
        await _pipelines.Workloads.ExecuteAsync(
            static (state, ct) => state.workloads.PromoteAsync(state.canary, ct),
            (workloads: _workloads, canary: step.Canary),
            cancellationToken);
        await _pipelines.Workloads.ExecuteAsync(
            static (state, ct) => state.workloads.ScaleDownCanaryAsync(state.canary, ct),
            (workloads: _workloads, canary: step.Canary),
            cancellationToken);
        Transition(step, step.Status with
        {
            Phase = CanaryPhase.Succeeded,
            LastPromotedSpec = step.Status.LastAppliedSpec,
        });
        await EmitAsync(step, CanaryEventType.Promoted,
            $"Promotion completed! Canary analysis was skipped for {step.Id}", AlertSeverity.Info, cancellationToken);
        await SaveAsync(step, cancellationToken);
        await _gates.NotifyAsync(step.Canary, step.Status, WebhookType.PostRollout, null, cancellationToken);
    }

    private async ValueTask RollbackAsync(ReconcileStep step, ITrafficRouter router, string reason, CancellationToken cancellationToken)
    {
        await EmitAsync(step, CanaryEventType.RollingBack, $"Rolling back {step.Id} {reason}", AlertSeverity.Error, cancellationToken);
        await SetRoutesAsync(step, router, TrafficRoutes.PrimaryOnly, cancellationToken);
        await _pipelines.Workloads.ExecuteAsync(
            static (state, ct) => state.workloads.ScaleDownCanaryAsync(state.canary, ct),
            (workloads: _workloads, canary: step.Canary),
            cancellationToken);
        await ScaleDownBaselineAsync(step, cancellationToken);
        Transition(step, step.Status with { Phase = CanaryPhase.Failed, NotReadySince = null });
        await EmitAsync(step, CanaryEventType.RolledBack, $"Canary failed! Scaling down {step.Id}", AlertSeverity.Error, cancellationToken);
        await SaveAsync(step, cancellationToken);
        await _gates.NotifyAsync(step.Canary, step.Status, WebhookType.PostRollout, null, cancellationToken);
    }
}
