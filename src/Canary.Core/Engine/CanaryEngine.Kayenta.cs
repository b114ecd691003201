using Canary.Events;
using Canary.Model;
using Canary.Statistics;
using Canary.Workloads;

namespace Canary.Engine;

public sealed partial class CanaryEngine
{
    /// <summary>The metric name of the events that carry a Kayenta judgement's score, so that reports chart it against the pass threshold.</summary>
    internal const string KayentaScoreMetric = "kayenta-score";

    /// <summary>
    /// Judges the analysis interval that ends with this step, as Kayenta judges one fixed window: cuts the last slice,
    /// scores the window's samples, and maps the verdict. Pass lets the step go on; Fail, and Marginal unless the spec
    /// pauses on it, is one failed check (which ends the step, as any failed check does); a marginal judgement that
    /// pauses ends the step paused. Counts that cannot be read are a failed check too.
    /// </summary>
    private async ValueTask<JudgeOutcome> JudgeKayentaAsync(ReconcileStep step, CancellationToken cancellationToken)
    {
        if (step.Analysis.Judge is not { Type: JudgeType.Kayenta } judge)
        {
            return JudgeOutcome.None;
        }

        // Until the first weight step the canary has served nothing: there is no window to judge, and what the
        // comparison workload served meanwhile is not compared with anything.
        var status = step.Status;
        if (!(status.Step > 0 || status.Iterations > 0 || status.Mirrored))
        {
            Transition(step, status with { Kayenta = KayentaSampler.Skip(judge, status.Kayenta, _time.GetUtcNow()) });
            return JudgeOutcome.None;
        }

        if (_samples is null)
        {
            await FailCheckAsync(step,
                $"Halt {step.Id} advancement Kayenta judge: no traffic sample provider is registered (add one with AddTrafficSampleProvider)",
                cancellationToken);
            return JudgeOutcome.Ended;
        }

        try
        {
            await SliceKayentaAsync(step, judge, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            await FailCheckAsync(step, $"Halt {step.Id} advancement Kayenta judge: counting requests failed: {exception.Message}", cancellationToken);
            return JudgeOutcome.Ended;
        }

        KayentaJudgeState state;
        CanaryJudgement judgement;
        int slices;
        try
        {
            (state, judgement, slices) = KayentaSampler.Judge(judge, step.Status.Kayenta!);
        }
        catch (ArgumentException exception)
        {
            await FailCheckAsync(step, $"Halt {step.Id} advancement Kayenta judge: {exception.Message}", cancellationToken);
            return JudgeOutcome.Ended;
        }

        var description = KayentaSampler.Describe(judge, judgement, slices, ComparisonRole(step).ToString().ToLowerInvariant());
        var score = new MetricCheck { Name = KayentaScoreMetric, ThresholdRange = new(Min: judge.ScoreThresholds.Pass) };
        Transition(step, step.Status with { Kayenta = state });
        switch (judgement.Verdict)
        {
            case JudgeVerdict.Pass:
                await EmitAsync(step, CanaryEventType.CheckPassed, $"Kayenta judge passes {step.Id}: {description}",
                    AlertSeverity.Info, cancellationToken, score, judgement.Score);
                return JudgeOutcome.None;

            case JudgeVerdict.Marginal when judge.OnMarginal == MarginalAction.Pause:
                Transition(step, step.Status with { Paused = true });
                await EmitAsync(step, CanaryEventType.CheckHeld,
                    $"Paused {step.Id}: Kayenta judge is marginal, {description}; resume, promote or abort it",
                    AlertSeverity.Warn, cancellationToken, score, judgement.Score);
                return JudgeOutcome.Ended;

            default:
                Transition(step, step.Status with { FailedChecks = step.Status.FailedChecks + 1 });
                await EmitAsync(step, CanaryEventType.CheckFailed, $"Halt {step.Id} advancement Kayenta judge: {description}",
                    AlertSeverity.Warn, cancellationToken, score, judgement.Score);
                return JudgeOutcome.Ended;
        }
    }

    /// <summary>Cuts a slice at a look between steps; counts that cannot be read are left to the next look or step, whose slice then covers both.</summary>
    private async ValueTask LookKayentaAsync(ReconcileStep step, JudgeSpec judge, CancellationToken cancellationToken)
    {
        if (_samples is null)
        {
            return;
        }

        try
        {
            await SliceKayentaAsync(step, judge, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Nothing is lost: the slice's window stays open until a look or step counts it.
        }
    }

    /// <summary>Counts both workloads since the last slice and adds their samples; a look or step at the same instant adds nothing.</summary>
    private async ValueTask SliceKayentaAsync(ReconcileStep step, JudgeSpec judge, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var previous = step.Status.Kayenta;
        if (previous?.SampledUntil is { } until && until >= now)
        {
            return;
        }

        var window = previous?.SampledUntil is { } since ? now - since : step.Analysis.Interval;
        var canary = await CountAsync(step, WorkloadRole.Canary, window, cancellationToken);
        var comparison = await CountAsync(step, ComparisonRole(step), window, cancellationToken);
        Transition(step, step.Status with { Kayenta = KayentaSampler.AddSlice(judge, previous, canary, comparison, now) });
    }
}
