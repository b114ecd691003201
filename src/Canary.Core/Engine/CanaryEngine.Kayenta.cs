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
    /// Judges the window that ends with this step, as Kayenta judges one fixed window: closes the open slice if it has
    /// enough requests, scores the window's samples, and maps the verdict. Pass lets the step go on; Fail, and Marginal
    /// unless the spec pauses on it, is one failed check (which ends the step, as any failed check does); a marginal
    /// judgement that pauses ends the step paused. Counts that cannot be read are a failed check too. A window with
    /// fewer slices than the rank-sum test needs is not judged: the step holds the canary at its weight, and the next
    /// step judges a window that includes these slices, for at most <see cref="JudgeSpec.MaxHoldIntervals"/> steps in
    /// a row; after that each such step is a failed check.
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

        OpenSlice? open;
        try
        {
            open = await SliceKayentaAsync(step, judge, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            await FailCheckAsync(step, $"Halt {step.Id} advancement Kayenta judge: counting requests failed: {exception.Message}", cancellationToken);
            return JudgeOutcome.Ended;
        }

        var comparisonName = ComparisonRole(step).ToString().ToLowerInvariant();
        var sampled = step.Status.Kayenta!;
        if (KayentaSampler.WindowSlices(judge, sampled) is var have && have < KayentaSampler.MinSlicesPerWindow)
        {
            return await HoldKayentaAsync(step, judge, sampled, have, open, comparisonName, cancellationToken);
        }

        KayentaJudgeState state;
        CanaryJudgement judgement;
        int slices;
        try
        {
            (state, judgement, slices) = KayentaSampler.Judge(judge, sampled);
        }
        catch (ArgumentException exception)
        {
            await FailCheckAsync(step, $"Halt {step.Id} advancement Kayenta judge: {exception.Message}", cancellationToken);
            return JudgeOutcome.Ended;
        }

        var description = KayentaSampler.Describe(judge, judgement, slices, comparisonName);
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

    /// <summary>
    /// A step whose window has too few slices: holds the canary at its weight without a verdict (a <c>CheckHeld</c>
    /// event) while <see cref="JudgeSpec.MaxHoldIntervals"/> allows, and fails the check after that. The slices stay in
    /// the window either way, so a judgement comes as soon as there are enough; the hold count is in the status, so
    /// a restarted engine keeps the bound.
    /// </summary>
    private async ValueTask<JudgeOutcome> HoldKayentaAsync(
        ReconcileStep step, JudgeSpec judge, KayentaJudgeState state, int have, OpenSlice? open, string comparisonName, CancellationToken cancellationToken)
    {
        var held = KayentaSampler.Hold(state);
        Transition(step, step.Status with { Kayenta = held });
        var need = KayentaSampler.MinSlicesPerWindow;
        var minimum = Math.Max(1, judge.MinRequestsPerSample);
        var filling = open is { } o
            ? $"; the open slice has {o.Canary} canary and {o.Comparison} {comparisonName} requests of the {minimum} each it needs to close"
            : string.Empty;
        if (held.HeldIntervals <= judge.MaxHoldIntervals)
        {
            await EmitAsync(step, CanaryEventType.CheckHeld,
                $"Holding {step.Id} advancement: Kayenta judge has {have} of the {need} slices it needs ({held.HeldIntervals}/{judge.MaxHoldIntervals} intervals){filling}",
                AlertSeverity.Info, cancellationToken);
            return JudgeOutcome.Ended;
        }

        await FailCheckAsync(step,
            $"Halt {step.Id} advancement Kayenta judge: {have} of the {need} slices it needs after {judge.MaxHoldIntervals} held intervals{filling}",
            cancellationToken);
        return JudgeOutcome.Ended;
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

    /// <summary>
    /// Counts both workloads since the last closed slice and closes a slice if both served enough requests; a look or
    /// step at the same instant adds nothing.
    /// </summary>
    /// <returns>The requests of the slice that stays open, or <see langword="null"/> when a slice closed (or nothing was counted).</returns>
    private async ValueTask<OpenSlice?> SliceKayentaAsync(ReconcileStep step, JudgeSpec judge, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var previous = step.Status.Kayenta;
        if (previous?.SampledUntil is { } until && until >= now)
        {
            return null;
        }

        var window = previous?.SampledUntil is { } since ? now - since : step.Analysis.Interval;
        var canary = await CountAsync(step, WorkloadRole.Canary, window, cancellationToken);
        var comparison = await CountAsync(step, ComparisonRole(step), window, cancellationToken);
        var next = KayentaSampler.AddSlice(judge, previous, canary, comparison, now);
        if (!ReferenceEquals(next, previous))
        {
            // A slice that stays open changes nothing, so a look at low traffic costs no status write.
            Transition(step, step.Status with { Kayenta = next });
        }

        return next.SampledUntil == now ? null : new OpenSlice(Math.Max(0, canary.Requests), Math.Max(0, comparison.Requests));
    }

    /// <summary>The requests counted so far in a slice that has not closed.</summary>
    private readonly record struct OpenSlice(long Canary, long Comparison);
}
