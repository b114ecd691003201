using Canary.Analysis;
using Canary.Events;
using Canary.Model;
using Canary.Routing;
using Canary.Statistics;
using Canary.Workloads;

namespace Canary.Engine;

public sealed partial class CanaryEngine
{
    private readonly ITrafficSampleProvider? _samples;

    /// <summary>What the sequential judge made of a step.</summary>
    private enum JudgeOutcome
    {
        /// <summary>The canary has no sequential judge.</summary>
        None,

        /// <summary>No verdict yet: advance as normal.</summary>
        Continue,

        /// <summary>No verdict yet, but the evidence leans against the canary (a rollback e-value above 1): do not promote it on schedule alone.</summary>
        Suspect,

        /// <summary>The canary is within the allowed ratios: it may be promoted early.</summary>
        Accept,

        /// <summary>The step is over: the canary was rolled back, or counting failed and a failed check was added.</summary>
        Ended,
    }

    /// <summary>
    /// Adds the requests both workloads served since the last judged step to the run's sequential tests and acts on
    /// the verdict: Reject rolls the canary back at once; Accept lets it skip its remaining steps. Counts that cannot
    /// be read are a failed check, as a metric query that fails is.
    /// </summary>
    private async ValueTask<JudgeOutcome> JudgeSequentiallyAsync(ReconcileStep step, ITrafficRouter router, CancellationToken cancellationToken, bool look = false)
    {
        if (step.Analysis.Judge is not { Type: JudgeType.Sequential } judge)
        {
            return JudgeOutcome.None;
        }

        if (_samples is null)
        {
            if (!look)
            {
                await FailCheckAsync(step,
                    $"Halt {step.Id} advancement sequential test: no traffic sample provider is registered (add one with AddTrafficSampleProvider)",
                    cancellationToken);
            }

            return JudgeOutcome.Ended;
        }

        var now = _time.GetUtcNow();
        var previous = step.Status.Sequential;
        var comparisonRole = ComparisonRole(step);
        TrafficCounts canary = TrafficCounts.Empty, comparison = TrafficCounts.Empty;

        // Counting from where the last judged interval ended keeps a late or repeated step from counting requests
        // twice; a step right after a look has nothing new to count.
        if (previous?.SampledUntil is not { } until || until < now)
        {
            var window = previous?.SampledUntil is { } since ? now - since : step.Analysis.Interval;
            try
            {
                canary = await CountAsync(step, WorkloadRole.Canary, window, cancellationToken);
                comparison = await CountAsync(step, comparisonRole, window, cancellationToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // A look leaves the window to the next look or step, which counts it whole.
                if (!look)
                {
                    await FailCheckAsync(step, $"Halt {step.Id} advancement sequential test: counting requests failed: {exception.Message}", cancellationToken);
                }

                return JudgeOutcome.Ended;
            }
        }

        var judgement = SequentialJudge.Update(judge, previous, canary, comparison, now, comparisonRole.ToString().ToLowerInvariant());
        Transition(step, step.Status with { Sequential = judgement.State });
        switch (judgement.Verdict)
        {
            case SequentialVerdict.Reject:
                await RollbackAsync(step, router, $"sequential test: {judgement.Reason}", cancellationToken);
                return JudgeOutcome.Ended;

            case SequentialVerdict.Accept:
                if (previous?.Verdict != SequentialVerdict.Accept || (_options.PublishPassedChecks && !look))
                {
                    await EmitAsync(step, CanaryEventType.CheckPassed, $"Sequential test accepts {step.Id}: {judgement.Reason}",
                        AlertSeverity.Info, cancellationToken, value: judgement.RollbackEValue);
                }

                return JudgeOutcome.Accept;

            default:
                if (_options.PublishPassedChecks && !look)
                {
                    await EmitAsync(step, CanaryEventType.CheckPassed, $"Sequential test of {step.Id}: {judgement.Reason}",
                        AlertSeverity.Info, cancellationToken, value: judgement.RollbackEValue);
                }

                return judgement.RollbackEValue > 1 ? JudgeOutcome.Suspect : JudgeOutcome.Continue;
        }
    }

    /// <summary>Promotes a canary the judge accepted without its remaining steps, through the confirm-promotion gates as usual.</summary>
    /// <returns><see langword="true"/> when the step went to promotion (or waits at its gates).</returns>
    private async ValueTask<bool> PromoteEarlyAsync(ReconcileStep step, JudgeOutcome outcome, CancellationToken cancellationToken)
    {
        // At the first step the canary has had no traffic of its own yet: there is nothing to promote on.
        var started = step.Status.Step > 0 || step.Status.Iterations > 0;
        if (outcome != JudgeOutcome.Accept || step.Analysis.Judge is not { PromoteEarly: true } || !started)
        {
            return false;
        }

        await ConfirmAndStartPromotionAsync(step, cancellationToken);
        return true;
    }

    /// <summary>
    /// Keeps a canary that has taken its last step at its weight until the judge decides: always when the spec requires
    /// acceptance, and otherwise while the evidence leans against the canary, for at most the progress deadline.
    /// </summary>
    /// <returns><see langword="true"/> when the canary waits.</returns>
    private async ValueTask<bool> HoldForVerdictAsync(ReconcileStep step, JudgeOutcome outcome, CancellationToken cancellationToken)
    {
        var lastStepTaken = step.Analysis.Strategy == DeploymentStrategy.Canary
            ? step.Status.Step >= WeightSchedule.StepCount(step.Analysis)
            : step.Status.Iterations >= step.Analysis.Iterations;
        if (outcome is not (JudgeOutcome.Continue or JudgeOutcome.Suspect) || step.Analysis.Judge is not { } judge || !lastStepTaken)
        {
            return false;
        }

        var waiting = step.Status.Phase == CanaryPhase.WaitingPromotion;
        if (!judge.RequireAcceptance)
        {
            // Promoting on schedule a canary that the evidence so far calls worse would promote moderate regressions
            // that low traffic has not yet proven; the wait is bounded so that a healthy canary whose e-value
            // wandered above 1 is still promoted.
            var heldFor = waiting ? _time.GetUtcNow() - step.Status.LastTransitionTime : TimeSpan.Zero;
            if (outcome != JudgeOutcome.Suspect || heldFor >= step.Canary.Spec.ProgressDeadline)
            {
                return false;
            }
        }

        if (!waiting)
        {
            var why = judge.RequireAcceptance ? "to accept the canary" : "to decide: the evidence so far leans against the canary";
            Transition(step, step.Status with { Phase = CanaryPhase.WaitingPromotion });
            await EmitAsync(step, CanaryEventType.Waiting, $"Halt {step.Id} advancement waiting for the sequential test {why}",
                AlertSeverity.Info, cancellationToken);
        }

        return true;
    }

    private ValueTask<TrafficCounts> CountAsync(ReconcileStep step, WorkloadRole role, TimeSpan window, CancellationToken cancellationToken) =>
        _pipelines.Metrics.ExecuteAsync(
            static (state, ct) => state.samples.GetCountsAsync(state.canary, state.role, state.window, ct),
            (samples: _samples!, canary: step.Canary, role, window),
            cancellationToken);
}
