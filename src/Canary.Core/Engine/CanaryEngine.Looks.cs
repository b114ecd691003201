using Canary.Model;
using Canary.State;
using Canary.Statistics;
using Canary.Workloads;

namespace Canary.Engine;

public sealed partial class CanaryEngine
{
    /// <summary>
    /// Looks at a canary between its analysis steps, every <see cref="JudgeSpec.LookInterval"/>: the sequential judge
    /// adds the requests served since it last looked, rolls the canary back at once if they prove a regression, and
    /// asks for a step now if they prove the canary within the allowed ratios and that step would promote it. A run
    /// whose canary is ready before its first weight step asks for that step now, since the judge gains nothing from an
    /// interval at weight 0. A canary that is being promoted
    /// advances through its promotion phases, which wait for workloads, not for evidence. Anything else waits for the
    /// next step: a look never advances the weight, runs gates or threshold metrics, or applies commands.
    /// </summary>
    /// <param name="canary">The canary, as its spec is now.</param>
    /// <param name="cancellationToken">A token that cancels the look; the status saved so far stays consistent.</param>
    /// <returns>The status after the look, and whether a step should run now.</returns>
    /// <exception cref="CanaryStatusConflictException">Another engine saved the canary's status during the look.</exception>
    /// <remarks>
    /// With a Kayenta judge a look only cuts a slice of samples (<see cref="JudgeSpec.LookInterval"/> is the slice
    /// length) and never asks for a step: Kayenta judges whole intervals, at the steps.
    /// The tests are always valid, so these extra looks cost no false-rollback rate. A canary without a sequential
    /// judge, or whose look interval is not shorter than its analysis interval, is left alone. Counts that cannot be
    /// read are left to the next look or step, which counts the whole window since the last one that succeeded.
    /// </remarks>
    public async ValueTask<CanaryLook> LookAsync(CanaryResource canary, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(canary);
        var stored = await _pipelines.Store.ExecuteAsync(
            static (state, ct) => state._store.GetAsync(state.Id, ct),
            (_store, canary.Id),
            cancellationToken);
        var step = new ReconcileStep(canary, stored);
        var analysis = canary.Spec.Analysis;
        var status = step.Status;
        if (stored is null
            || analysis.Judge is not { } judge
            || judge.LookIntervalFor(analysis.Interval) >= analysis.Interval
            || canary.Spec.Suspend
            || status.Paused
            || status.PendingCommand is not null)
        {
            return new(status, StepNow: false);
        }

        if (status.Phase is CanaryPhase.Promoting or CanaryPhase.Finalising)
        {
            return new(await ReconcileAsync(canary, cancellationToken), StepNow: false);
        }

        if (status.Phase is not (CanaryPhase.Progressing or CanaryPhase.WaitingPromotion) || !await IsRevisionAnalysedAsync(step, cancellationToken))
        {
            return new(status, StepNow: false);
        }

        // Before its first weight step the canary has served nothing, so there is no evidence to add; the judge gains
        // nothing from a full interval at weight 0, so the first step may come as soon as the canary is ready.
        var started = status.Step > 0 || status.Iterations > 0 || status.Mirrored;
        if (!started)
        {
            return new(status, StepNow: await IsReadyForFirstStepAsync(step, cancellationToken));
        }

        if (judge.Type == JudgeType.Kayenta)
        {
            // Kayenta judges whole intervals at the steps; a look only cuts a slice of samples.
            await LookKayentaAsync(step, judge, cancellationToken);
            if (step.IsDirty)
            {
                await SaveAsync(step, cancellationToken);
            }

            return new(step.Status, StepNow: false);
        }

        var outcome = await JudgeSequentiallyAsync(step, SelectRouter(canary), cancellationToken, look: true);
        if (step.IsDirty)
        {
            await SaveAsync(step, cancellationToken);
        }

        // Only a step that would promote is worth running early: without promoteEarly the accepted canary keeps its
        // schedule, unless it already waits at its last step for this verdict.
        var accepted = outcome == JudgeOutcome.Accept && status.Sequential?.Verdict != SequentialVerdict.Accept;
        var promotes = judge.PromoteEarly || step.Status.Phase == CanaryPhase.WaitingPromotion;
        return new(step.Status, StepNow: accepted && promotes && !step.Status.IsFinished);
    }

    /// <summary>
    /// Whether the first weight step of a run may come now: within the run's first interval (so that a first step held
    /// by a gate is retried at the usual pace after that), with no failed check yet, and with the canary ready.
    /// </summary>
    private async ValueTask<bool> IsReadyForFirstStepAsync(ReconcileStep step, CancellationToken cancellationToken)
    {
        var status = step.Status;
        if (status.Phase != CanaryPhase.Progressing
            || status.FailedChecks > 0
            || _time.GetUtcNow() - status.LastTransitionTime >= step.Analysis.Interval)
        {
            return false;
        }

        return (await GetReadinessAsync(step, WorkloadRole.Canary, cancellationToken)).State == WorkloadReadinessState.Ready
            && (await GetBaselineReadinessAsync(step, cancellationToken)).State == WorkloadReadinessState.Ready;
    }

    private async ValueTask<bool> IsRevisionAnalysedAsync(ReconcileStep step, CancellationToken cancellationToken)
    {
        var revision = await _pipelines.Workloads.ExecuteAsync(
            static (state, ct) => state.workloads.GetRevisionAsync(state.canary, ct),
            (workloads: _workloads, canary: step.Canary),
            cancellationToken);
        return revision == step.Status.LastAppliedSpec;
    }
}
