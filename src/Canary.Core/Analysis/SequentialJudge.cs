using System.Globalization;
using Canary.Model;
using Canary.Statistics;

namespace Canary.Analysis;

/// <summary>
/// The engine's sequential judge: adds one interval's counts of the canary and its comparison workload to the run's
/// e-processes (one for the error rate, one per latency quantile) and decides. All its state is in
/// <see cref="SequentialTestState"/>, so the judge itself keeps nothing between steps.
/// </summary>
/// <remarks>
/// <para>
/// Errors: the rate-ratio e-processes of <see cref="ErrorRateSequentialTest"/>, with both ratios at
/// <see cref="JudgeSpec.MaxErrorRatio"/>.
/// </para>
/// <para>
/// Latency, per quantile q: τ is the comparison workload's q-quantile in an earlier interval, read from its histogram
/// as a bucket bound. A canary request is slow when it exceeds r·τ (r = <see cref="JudgeSpec.MaxLatencyRatio"/>), a
/// comparison request when it exceeds τ. If the canary is at most r times slower (its latency divided by r is
/// stochastically no larger than the comparison's), a canary request is slow no more often than a comparison
/// request, so the rate-ratio e-process with null ratio 1 applies, as in <see cref="LatencySequentialTest"/>. Histogram
/// buckets rarely have a bound at exactly r·τ, so each side's count is taken at the nearest bound on the side that
/// keeps the test conservative: for the rollback test the canary is counted above the first bound at or over r·τ and
/// the comparison above the last bound at or under τ, and the other way round for the promotion test. Coarse buckets
/// cost power, never validity.
/// </para>
/// <para>
/// The false-rollback rate is split (Bonferroni): half goes to the error test and half is shared evenly by the latency
/// quantiles, or all of it goes to the error test when no quantiles are compared. Errors get the larger share because
/// they are rare events and carry less evidence per request than latencies. Acceptance needs every test to accept at
/// the false-promotion rate (an intersection–union test), so that rate is not split.
/// </para>
/// </remarks>
internal static class SequentialJudge
{
    /// <summary>How many comparison requests should lie above a quantile before its bucket is taken as the threshold: ⌈5 / (1 − q)⌉ requests.</summary>
    private const double TailSamples = 5;

    /// <summary>The relative slack when matching a bucket bound to a threshold, so that rounding does not skip a bucket.</summary>
    private const double BoundTolerance = 1e-9;

    public static SequentialJudgement Update(
        JudgeSpec spec, SequentialTestState? previous, TrafficCounts canary, TrafficCounts comparison, DateTimeOffset now, string comparisonName)
    {
        var state = Fits(spec, previous) ? previous! : Fresh(spec, previous);
        var (canaryRequests, canaryErrors) = Sanitize(canary);
        var (comparisonRequests, comparisonErrors) = Sanitize(comparison);

        var errorRollback = new RateRatioEProcess(spec.MaxErrorRatio, alternativesAbove: true, state.ErrorRollbackLogRatios);
        var errorPromotion = new RateRatioEProcess(spec.MaxErrorRatio, alternativesAbove: false, state.ErrorPromotionLogRatios);
        errorRollback.Update(canaryRequests, canaryErrors, comparisonRequests, comparisonErrors);
        errorPromotion.Update(canaryRequests, canaryErrors, comparisonRequests, comparisonErrors);

        var quantiles = new QuantileEvidence[state.Latency.Count];
        for (var i = 0; i < quantiles.Length; i++)
        {
            quantiles[i] = UpdateQuantile(state.Latency[i], spec.MaxLatencyRatio, canary.LatencyBuckets, comparison.LatencyBuckets);
        }

        var next = state with
        {
            SampledUntil = now,
            Intervals = state.Intervals + 1,
            CanaryRequests = state.CanaryRequests + canaryRequests,
            CanaryErrors = state.CanaryErrors + canaryErrors,
            ComparisonRequests = state.ComparisonRequests + comparisonRequests,
            ComparisonErrors = state.ComparisonErrors + comparisonErrors,
            ErrorRollbackLogRatios = errorRollback.LogLikelihoodRatios,
            ErrorPromotionLogRatios = errorPromotion.LogLikelihoodRatios,
            Latency = [.. quantiles.Select(q => q.State)],
        };
        return Decide(spec, next, errorRollback, errorPromotion, quantiles, comparisonName, previous?.Verdict);
    }

    private static SequentialJudgement Decide(
        JudgeSpec spec,
        SequentialTestState state,
        RateRatioEProcess errorRollback,
        RateRatioEProcess errorPromotion,
        QuantileEvidence[] quantiles,
        string comparisonName,
        SequentialVerdict? previousVerdict)
    {
        var errorThreshold = (quantiles.Length == 0 ? 1 : 2) / spec.FalseRollbackRate;
        var latencyThreshold = 2 * quantiles.Length / spec.FalseRollbackRate;
        var promotionThreshold = 1 / spec.FalsePromotionRate;
        var logPromotionThreshold = Math.Log(promotionThreshold);
        var enough = state.CanaryRequests >= spec.MinRequests && state.ComparisonRequests >= spec.MinRequests;
        var largestRollback = quantiles.Select(q => q.Rollback.LogEValue).Append(errorRollback.LogEValue).Max();
        var largestLatencyRollback = quantiles.Length == 0 ? 0 : quantiles.Max(q => q.Rollback.LogEValue);
        var errors = $"canary error rate {Percent(state.CanaryErrors, state.CanaryRequests)} vs {Percent(state.ComparisonErrors, state.ComparisonRequests)}";

        string? rejection = null;
        if (enough && errorRollback.LogEValue >= Math.Log(errorThreshold))
        {
            rejection = $"{errors} (e-value {EValue(errorRollback.LogEValue)} ≥ {Number(errorThreshold)})";
        }
        else if (enough && quantiles.FirstOrDefault(q => q.Rollback.LogEValue >= Math.Log(latencyThreshold)) is { } slow)
        {
            var s = slow.State;
            rejection = Invariant(
                $"canary p{s.Quantile * 100:0.###} latency exceeds {spec.MaxLatencyRatio}× the {comparisonName}'s ({comparisonName} p{s.Quantile * 100:0.###} {s.ThresholdMilliseconds:0.#}ms): {s.CanarySlow}/{s.CanaryTested} canary requests slow vs {s.ComparisonSlow}/{s.ComparisonTested} {comparisonName} requests (e-value {EValue(slow.Rollback.LogEValue)} ≥ {Number(latencyThreshold)})");
        }

        if (previousVerdict == SequentialVerdict.Reject || rejection is not null)
        {
            return new(SequentialVerdict.Reject, rejection ?? "rejected earlier in this run", state with { Verdict = SequentialVerdict.Reject }, SequentialEvidence.ToEValue(largestRollback));
        }

        var accepted = enough
            && errorPromotion.LogEValue >= logPromotionThreshold
            && quantiles.All(q => q.State.CanaryTested > 0 && q.Promotion.LogEValue >= logPromotionThreshold);
        if (previousVerdict == SequentialVerdict.Accept || accepted)
        {
            var latency = quantiles.Length == 0
                ? string.Empty
                : Invariant($"; latency within {spec.MaxLatencyRatio}× at {string.Join(", ", quantiles.Select(q => $"p{q.State.Quantile * 100:0.###}"))}");
            var reason = Invariant($"{errors} is within {spec.MaxErrorRatio}× (e-value {EValue(errorPromotion.LogEValue)} ≥ {Number(promotionThreshold)}){latency}");
            return new(SequentialVerdict.Accept, reason, state with { Verdict = SequentialVerdict.Accept }, SequentialEvidence.ToEValue(largestRollback));
        }

        var why = enough ? "no verdict yet" : Invariant($"too few requests for a verdict (canary {state.CanaryRequests}, {comparisonName} {state.ComparisonRequests}, need {spec.MinRequests})");
        var promotionEvidence = quantiles.Select(q => q.Promotion.LogEValue).Append(errorPromotion.LogEValue).Min();
        var latencyEvidence = quantiles.Length == 0 ? string.Empty : $", latency {EValue(largestLatencyRollback)} < {Number(latencyThreshold)}";
        return new(
            SequentialVerdict.Continue,
            $"{why}: {errors} (rollback e-values: errors {EValue(errorRollback.LogEValue)} < {Number(errorThreshold)}{latencyEvidence}; promotion e-value {EValue(promotionEvidence)} < {Number(promotionThreshold)})",
            state with { Verdict = SequentialVerdict.Continue },
            SequentialEvidence.ToEValue(largestRollback));
    }

    private static QuantileEvidence UpdateQuantile(LatencyQuantileState state, double ratio, IReadOnlyList<LatencyBucket> canary, IReadOnlyList<LatencyBucket> comparison)
    {
        var rollback = new RateRatioEProcess(1, alternativesAbove: true, state.RollbackLogRatios);
        var promotion = new RateRatioEProcess(1, alternativesAbove: false, state.PromotionLogRatios);
        var next = state;
        var canaryTotal = Total(canary);
        var comparisonTotal = Total(comparison);
        if (state.ThresholdMilliseconds is { } threshold && canaryTotal > 0 && comparisonTotal > 0)
        {
            var canaryLimit = ratio * threshold;
            var canarySlowForRollback = Above(canary, FirstBoundAtOrOver(canary, canaryLimit));
            var comparisonSlowForRollback = Above(comparison, LastBoundAtOrUnder(comparison, threshold));
            rollback.Update(canaryTotal, canarySlowForRollback, comparisonTotal, comparisonSlowForRollback);
            promotion.Update(
                canaryTotal,
                Above(canary, LastBoundAtOrUnder(canary, canaryLimit)),
                comparisonTotal,
                Above(comparison, FirstBoundAtOrOver(comparison, threshold)));
            next = next with
            {
                CanarySlow = next.CanarySlow + canarySlowForRollback,
                CanaryTested = next.CanaryTested + canaryTotal,
                ComparisonSlow = next.ComparisonSlow + comparisonSlowForRollback,
                ComparisonTested = next.ComparisonTested + comparisonTotal,
            };
        }

        // The threshold for the next interval comes from this one, learnt only after this one was tested against the old one.
        if (QuantileBound(comparison, state.Quantile) is { } bound)
        {
            next = next with { ThresholdMilliseconds = bound };
        }

        return new(next with { RollbackLogRatios = rollback.LogLikelihoodRatios, PromotionLogRatios = promotion.LogLikelihoodRatios }, rollback, promotion);
    }

    /// <summary>Returns the bound of the bucket that holds the quantile, when enough requests lie above it and the bound is finite.</summary>
    private static double? QuantileBound(IReadOnlyList<LatencyBucket> buckets, double quantile)
    {
        var total = Total(buckets);
        if (total < Math.Ceiling((TailSamples / (1 - quantile)) - BoundTolerance))
        {
            return null;
        }

        var rank = quantile * total;
        foreach (var bucket in buckets)
        {
            if (bucket.CumulativeCount >= rank)
            {
                return double.IsFinite(bucket.UpperBoundMilliseconds) ? bucket.UpperBoundMilliseconds : null;
            }
        }

        return null;
    }

    /// <summary>Returns the index of the first bucket whose bound is at least <paramref name="limit"/>, or -1 when every bound is lower.</summary>
    private static int FirstBoundAtOrOver(IReadOnlyList<LatencyBucket> buckets, double limit)
    {
        for (var i = 0; i < buckets.Count; i++)
        {
            if (buckets[i].UpperBoundMilliseconds >= limit * (1 - BoundTolerance))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Returns the index of the last bucket whose bound is at most <paramref name="limit"/>, or -1 when every bound is higher.</summary>
    private static int LastBoundAtOrUnder(IReadOnlyList<LatencyBucket> buckets, double limit)
    {
        for (var i = buckets.Count - 1; i >= 0; i--)
        {
            if (buckets[i].UpperBoundMilliseconds <= limit * (1 + BoundTolerance))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Returns the requests above bucket <paramref name="index"/>: all of them for -1, none past the last bucket.</summary>
    private static long Above(IReadOnlyList<LatencyBucket> buckets, int index)
    {
        var total = Total(buckets);
        var atOrBelow = index < 0 ? 0 : index >= buckets.Count ? total : buckets[index].CumulativeCount;
        return Math.Clamp(total - atOrBelow, 0, total);
    }

    private static long Total(IReadOnlyList<LatencyBucket> buckets) => buckets.Count == 0 ? 0 : Math.Max(0, buckets[^1].CumulativeCount);

    private static (long Requests, long Errors) Sanitize(TrafficCounts counts)
    {
        var requests = Math.Max(0, counts.Requests);
        return (requests, Math.Clamp(counts.Errors, 0, requests));
    }

    private static bool Fits(JudgeSpec spec, SequentialTestState? state) =>
        state is not null
        && state.MaxErrorRatio == spec.MaxErrorRatio
        && state.MaxLatencyRatio == spec.MaxLatencyRatio
        && state.Latency.Select(q => q.Quantile).SequenceEqual(spec.LatencyQuantiles)
        && Holds(state.ErrorRollbackLogRatios, spec.MaxErrorRatio, alternativesAbove: true)
        && Holds(state.ErrorPromotionLogRatios, spec.MaxErrorRatio, alternativesAbove: false)
        && state.Latency.All(q => Holds(q.RollbackLogRatios, 1, alternativesAbove: true) && Holds(q.PromotionLogRatios, 1, alternativesAbove: false));

    /// <summary>Whether saved log-likelihood ratios fit the e-process they are for; an older layout starts the evidence over.</summary>
    private static bool Holds(IReadOnlyList<double> logRatios, double nullRatio, bool alternativesAbove) =>
        logRatios.Count == 0 || logRatios.Count == RateRatioEProcess.Components(nullRatio, alternativesAbove);

    /// <summary>Starts the evidence over, keeping where the last interval ended so that no requests are counted twice.</summary>
    private static SequentialTestState Fresh(JudgeSpec spec, SequentialTestState? previous) => new()
    {
        SampledUntil = previous?.SampledUntil,
        MaxErrorRatio = spec.MaxErrorRatio,
        MaxLatencyRatio = spec.MaxLatencyRatio,
        Latency = [.. spec.LatencyQuantiles.Select(q => new LatencyQuantileState { Quantile = q })],
    };

    private static string Percent(long events, long requests) =>
        requests == 0 ? "n/a" : (100.0 * events / requests).ToString("0.##", CultureInfo.InvariantCulture) + "%";

    private static string EValue(double logEValue)
    {
        var value = SequentialEvidence.ToEValue(logEValue);
        return value.ToString(value >= 1e6 ? "0.##E+0" : value >= 10 ? "0" : "0.##", CultureInfo.InvariantCulture);
    }

    private static string Number(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private sealed record QuantileEvidence(LatencyQuantileState State, RateRatioEProcess Rollback, RateRatioEProcess Promotion);
}
