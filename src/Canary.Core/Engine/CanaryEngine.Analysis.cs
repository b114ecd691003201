using Canary.Analysis;
using Canary.Events;
using Canary.Model;
using Canary.Routing;
using Canary.Workloads;

namespace Canary.Engine;

public sealed partial class CanaryEngine
{
    private async ValueTask AnalyzeAndAdvanceAsync(ReconcileStep step, ITrafficRouter router, CancellationToken cancellationToken)
    {
        if (!await IsCanaryReadyAsync(step, router, cancellationToken))
        {
            return;
        }

        if (step.Canary.Spec.SkipAnalysis)
        {
            await PromoteWithoutAnalysisAsync(step, router, cancellationToken);
            return;
        }

        if (await _gates.FindRollbackRequestAsync(step.Canary, step.Status, cancellationToken) is { } rollbackHook)
        {
            await RollbackAsync(step, router, $"manual webhook {rollbackHook.Name} invoked", cancellationToken);
            return;
        }

        // The threshold is judged at the start of the step after the one that reached it, as Flagger judges it.
        if (step.Status.FailedChecks >= step.Analysis.Threshold)
        {
            await RollbackAsync(step, router, $"failed checks threshold reached {step.Status.FailedChecks}", cancellationToken);
            return;
        }

        var judged = step.Analysis.Judge is { Type: JudgeType.Kayenta }
            ? await JudgeKayentaAsync(step, cancellationToken)
            : await JudgeSequentiallyAsync(step, router, cancellationToken);
        if (judged == JudgeOutcome.Ended
            || !await RunChecksAsync(step, cancellationToken)
            || await PromoteEarlyAsync(step, judged, cancellationToken)
            || await HoldForVerdictAsync(step, judged, cancellationToken))
        {
            return;
        }

        switch (step.Analysis.Strategy)
        {
            case DeploymentStrategy.Canary:
                await AdvanceWeightAsync(step, router, cancellationToken);
                break;
            case DeploymentStrategy.ABTesting:
                await AdvanceABTestAsync(step, router, cancellationToken);
                break;
            case DeploymentStrategy.BlueGreen:
                await AdvanceBlueGreenAsync(step, router, cancellationToken);
                break;
        }
    }

    private async ValueTask<bool> IsCanaryReadyAsync(ReconcileStep step, ITrafficRouter router, CancellationToken cancellationToken)
    {
        var readiness = await GetReadinessAsync(step, WorkloadRole.Canary, cancellationToken);
        var workload = $"canary deployment {step.Canary.Spec.TargetRef.Name}.{step.Id.Namespace}";
        if (readiness.State == WorkloadReadinessState.Ready && await GetBaselineReadinessAsync(step, cancellationToken) is { State: not WorkloadReadinessState.Ready } baseline)
        {
            readiness = baseline;
            workload = $"baseline deployment {step.Canary.Spec.TargetRef.Name}-baseline.{step.Id.Namespace}";
        }

        if (readiness.State == WorkloadReadinessState.Ready)
        {
            if (step.Status.NotReadySince is not null)
            {
                Transition(step, step.Status with { NotReadySince = null });
            }

            return true;
        }

        var now = _time.GetUtcNow();
        var since = step.Status.NotReadySince ?? now;
        if (readiness.State == WorkloadReadinessState.Failed || now - since >= step.Canary.Spec.ProgressDeadline)
        {
            await RollbackAsync(step, router,
                $"progress deadline exceeded {workload} not ready: {readiness.Reason}",
                cancellationToken);
            return false;
        }

        if (step.Status.NotReadySince is null)
        {
            Transition(step, step.Status with { NotReadySince = since });
        }

        await EmitOnceAsync(step, CanaryEventType.WorkloadNotReady,
            $"{workload} not ready: {readiness.Reason}",
            AlertSeverity.Info, cancellationToken);
        return false;
    }

    /// <summary>Runs the gates and metrics of one step; a failure adds one failed check, however many checks failed.</summary>
    /// <returns><see langword="true"/> when the canary may advance.</returns>
    private async ValueTask<bool> RunChecksAsync(ReconcileStep step, CancellationToken cancellationToken)
    {
        var status = step.Status;
        var firstStep = status.Step == 0 && status.Iterations == 0 && !(step.Analysis.Mirror && status.Mirrored);
        if (firstStep)
        {
            await EmitOnceAsync(step, CanaryEventType.AnalysisStarted, $"Starting canary analysis for {step.Id}", AlertSeverity.Info, cancellationToken);
            var preRollout = await _gates.RunAsync(step.Canary, step.Status, WebhookType.PreRollout, cancellationToken);
            if (!preRollout.Passed)
            {
                await FailCheckAsync(step,
                    $"Halt {step.Id} advancement pre-rollout check {preRollout.FailedWebhook!.Name} failed {preRollout.Reason}",
                    cancellationToken, webhook: preRollout.FailedWebhook.Name);
                return false;
            }

            return true;
        }

        var rollout = await _gates.RunAsync(step.Canary, step.Status, WebhookType.Rollout, cancellationToken);
        if (!rollout.Passed)
        {
            await FailCheckAsync(step,
                $"Halt {step.Id} advancement external check {rollout.FailedWebhook!.Name} failed {rollout.Reason}",
                cancellationToken, webhook: rollout.FailedWebhook.Name);
            return false;
        }

        var outcome = await _analyzer.AnalyzeAsync(step.Canary, step.Status, cancellationToken);
        var verdict = outcome.Verdict;
        Transition(step, step.Status with
        {
            NoDataIntervals = outcome.NoDataIntervals,
            FailedChecks = step.Status.FailedChecks + (verdict == CheckVerdict.Failed ? 1 : 0),
        });
        foreach (var report in outcome.Reports)
        {
            var (type, severity) = report.Verdict switch
            {
                CheckVerdict.Failed => (CanaryEventType.CheckFailed, AlertSeverity.Warn),
                CheckVerdict.Held => (CanaryEventType.CheckHeld, AlertSeverity.Warn),
                _ => (CanaryEventType.CheckPassed, AlertSeverity.Info),
            };
            if (type != CanaryEventType.CheckPassed || _options.PublishPassedChecks)
            {
                await EmitAsync(step, type, report.Message, severity, cancellationToken, report.Metric, report.Value);
            }
        }

        return verdict == CheckVerdict.Passed;
    }

    private async ValueTask FailCheckAsync(ReconcileStep step, string message, CancellationToken cancellationToken, string? webhook = null)
    {
        Transition(step, step.Status with { FailedChecks = step.Status.FailedChecks + 1 });
        await EmitAsync(step, CanaryEventType.CheckFailed, message, AlertSeverity.Warn, cancellationToken, webhook: webhook);
    }

    private async ValueTask AdvanceWeightAsync(ReconcileStep step, ITrafficRouter router, CancellationToken cancellationToken)
    {
        var status = step.Status;
        if (status.Step >= WeightSchedule.StepCount(step.Analysis))
        {
            await ConfirmAndStartPromotionAsync(step, cancellationToken);
            return;
        }

        // Mirroring shadows the primary's traffic to the canary for one step before the canary takes real traffic.
        if (step.Analysis.Mirror && status.Step == 0 && !status.Mirrored)
        {
            await SetRoutesAsync(step, router, TrafficRoutes.PrimaryOnly with { Mirrored = true }, cancellationToken);
            await EmitAsync(step, CanaryEventType.TrafficShifted, $"Mirroring traffic to canary {step.Id}", AlertSeverity.Info, cancellationToken);
            return;
        }

        if (!status.Mirrored)
        {
            var gate = await _gates.RunAsync(step.Canary, status, WebhookType.ConfirmTrafficIncrease, cancellationToken);
            if (!gate.Passed)
            {
                await EmitOnceAsync(step, CanaryEventType.Waiting,
                    $"Halt {step.Id} advancement waiting for traffic increase approval {gate.FailedWebhook!.Name}",
                    gate.FailedWebhook.MuteAlert ? AlertSeverity.Info : AlertSeverity.Warn, cancellationToken, webhook: gate.FailedWebhook.Name);
                return;
            }
        }

        var next = status.Step + 1;
        var requested = WeightSchedule.WeightAt(step.Analysis, next);
        var achieved = await SetRoutesAsync(step, router, TrafficRoutes.ForCanary(requested), cancellationToken);
        Transition(step, step.Status with { Step = next, Phase = CanaryPhase.Progressing });
        var approximation = achieved.CanaryWeight == requested ? string.Empty : $" (requested {requested})";
        await EmitAsync(step, CanaryEventType.WeightAdvanced, $"Advance {step.Id} canary weight {achieved.CanaryWeight}{approximation}", AlertSeverity.Info, cancellationToken);
    }

    private async ValueTask AdvanceABTestAsync(ReconcileStep step, ITrafficRouter router, CancellationToken cancellationToken)
    {
        var iterations = step.Analysis.Iterations!.Value;
        if (step.Status.Iterations >= iterations)
        {
            await ConfirmAndStartPromotionAsync(step, cancellationToken);
            return;
        }

        // With an A/B match the router sends only matching requests to the canary, all of them.
        await SetRoutesAsync(step, router, TrafficRoutes.CanaryOnly, cancellationToken);
        Transition(step, step.Status with { Iterations = step.Status.Iterations + 1, Phase = CanaryPhase.Progressing });
        await EmitAsync(step, CanaryEventType.IterationAdvanced,
            $"Advance {step.Id} canary iteration {step.Status.Iterations}/{iterations}", AlertSeverity.Info, cancellationToken);
    }

    private async ValueTask AdvanceBlueGreenAsync(ReconcileStep step, ITrafficRouter router, CancellationToken cancellationToken)
    {
        var iterations = step.Analysis.Iterations!.Value;
        if (step.Status.Iterations < iterations)
        {
            if (step.Analysis.Mirror && !step.Status.Mirrored)
            {
                await SetRoutesAsync(step, router, TrafficRoutes.PrimaryOnly with { Mirrored = true }, cancellationToken);
            }

            Transition(step, step.Status with { Iterations = step.Status.Iterations + 1, Phase = CanaryPhase.Progressing });
            await EmitAsync(step, CanaryEventType.IterationAdvanced,
                $"Advance {step.Id} canary iteration {step.Status.Iterations}/{iterations}", AlertSeverity.Info, cancellationToken);
            return;
        }

        // Without a traffic split (the kubernetes provider) the switch happens through promotion alone.
        if (step.Status.CanaryWeight < 100 && SelectedProvider(step.Canary) != TrafficProviders.Kubernetes)
        {
            await SetRoutesAsync(step, router, TrafficRoutes.CanaryOnly, cancellationToken);
            await EmitAsync(step, CanaryEventType.TrafficShifted, $"Routing all traffic to canary {step.Id}", AlertSeverity.Info, cancellationToken);
            return;
        }

        await ConfirmAndStartPromotionAsync(step, cancellationToken);
    }

    private string SelectedProvider(CanaryResource canary) => TrafficProviders.BaseName(canary.Spec.Provider ?? _options.DefaultProvider);
}
