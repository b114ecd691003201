using System.Globalization;
using System.Text;
using Canary.Analysis;
using Canary.Model;
using Canary.Statistics;

namespace Canary.Engine;

/// <summary>
/// The Kayenta judge's bookkeeping, with no I/O: turns one slice's counts into samples, keeps the bounded window of
/// slices in <see cref="KayentaJudgeState"/>, and judges the configured window with <see cref="CanaryJudge"/>.
/// </summary>
internal static class KayentaSampler
{
    /// <summary>Adds the samples of one slice, dropping the oldest slices beyond <see cref="JudgeSpec.MaxSlices"/>.</summary>
    public static KayentaJudgeState AddSlice(JudgeSpec spec, KayentaJudgeState? previous, TrafficCounts canary, TrafficCounts comparison, DateTimeOffset now)
    {
        var state = Fits(spec, previous) ? previous! : Fresh(spec, previous);
        var slice = new KayentaSlice
        {
            Until = now,
            Interval = state.Judgements,
            CanaryRequests = Math.Max(0, canary.Requests),
            ComparisonRequests = Math.Max(0, comparison.Requests),
            Canary = Samples(spec, canary),
            Comparison = Samples(spec, comparison),
        };
        var keep = Math.Max(1, spec.MaxSlices);
        var slices = state.Slices.Append(slice);
        return state with
        {
            SampledUntil = now,
            Slices = [.. slices.Skip(Math.Max(0, state.Slices.Count + 1 - keep))],
        };
    }

    /// <summary>Marks where the next slice starts without taking one: the counts before it are not evidence (the canary had no weight yet).</summary>
    public static KayentaJudgeState Skip(JudgeSpec spec, KayentaJudgeState? previous, DateTimeOffset now) =>
        (Fits(spec, previous) ? previous! : Fresh(spec, previous)) with { SampledUntil = now };

    /// <summary>Judges the window that ends now and records the judgement; the slices taken next belong to the next interval.</summary>
    /// <exception cref="ArgumentException">The spec's thresholds or group weights are not valid (the validator reports them).</exception>
    public static (KayentaJudgeState State, CanaryJudgement Judgement, int Slices) Judge(JudgeSpec spec, KayentaJudgeState state)
    {
        var judge = new CanaryJudge(new JudgeOptions
        {
            PassThreshold = spec.ScoreThresholds.Pass,
            MarginalThreshold = spec.ScoreThresholds.Marginal,
            GroupWeights = spec.GroupWeights,
        });
        var first = spec.LookbackIntervals <= 0 ? int.MinValue : state.Judgements - spec.LookbackIntervals + 1;
        var window = state.Slices.Where(s => s.Interval >= first).ToArray();
        var inputs = spec.Metrics.Select((metric, i) => new MetricJudgeInput(
            new MetricJudgeConfig
            {
                Name = metric.Name,
                Groups = metric.Groups,
                Direction = metric.Direction,
                Critical = metric.Critical,
                MustHaveData = metric.MustHaveData,
                Muted = metric.Muted,
                EffectSize = metric.EffectSize,
                Outliers = metric.Outliers,
            },
            Values(window, s => s.Canary, i),
            Values(window, s => s.Comparison, i))).ToArray();
        var judgement = judge.Judge(inputs);
        var next = state with { Judgements = state.Judgements + 1, LastScore = judgement.Score, LastVerdict = judgement.Verdict };
        return (next, judgement, window.Length);
    }

    /// <summary>Describes a judgement for an event: the score against the thresholds, then every metric's classification.</summary>
    public static string Describe(JudgeSpec spec, CanaryJudgement judgement, int slices, string comparisonName)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture,
            $"score {judgement.Score:0.##} ({judgement.Verdict}; pass {spec.ScoreThresholds.Pass:0.##}, marginal {spec.ScoreThresholds.Marginal:0.##}) over {slices} slice{(slices == 1 ? string.Empty : "s")} vs the {comparisonName}: ");
        text.AppendJoin(", ", judgement.Metrics.Select(Classification));
        if (judgement.Reason is { } reason)
        {
            text.Append(" (").Append(reason.TrimEnd('.')).Append(')');
        }

        return text.ToString();
    }

    /// <summary>
    /// Estimates a quantile of a cumulative histogram as Prometheus' <c>histogram_quantile</c> does: linear
    /// interpolation inside the bucket that holds the rank, from 0 for the first bucket; a rank in the +∞ bucket gives
    /// the highest finite bound.
    /// </summary>
    /// <returns>The quantile in milliseconds, or <see langword="null"/> when the histogram is empty or has no finite bound.</returns>
    public static double? Quantile(IReadOnlyList<LatencyBucket> buckets, double quantile)
    {
        var total = buckets.Count == 0 ? 0 : buckets[^1].CumulativeCount;
        if (total <= 0)
        {
            return null;
        }

        var rank = quantile * total;
        double lower = 0;
        long below = 0;
        double? highestFinite = null;
        foreach (var bucket in buckets)
        {
            // Counters scraped at slightly different times can dip; a cumulative count never falls.
            var cumulative = Math.Max(below, bucket.CumulativeCount);
            if (!double.IsFinite(bucket.UpperBoundMilliseconds))
            {
                return highestFinite;
            }

            if (cumulative >= rank)
            {
                var inBucket = cumulative - below;
                return inBucket == 0
                    ? bucket.UpperBoundMilliseconds
                    : lower + ((bucket.UpperBoundMilliseconds - lower) * (rank - below) / inBucket);
            }

            highestFinite = bucket.UpperBoundMilliseconds;
            lower = bucket.UpperBoundMilliseconds;
            below = cumulative;
        }

        return highestFinite;
    }

    private static string Classification(MetricJudgement metric)
    {
        var flags = (metric.Critical ? " critical" : string.Empty) + (metric.Muted ? " muted" : string.Empty);
        var ratio = double.IsNaN(metric.Deviation) || metric.Classification is MetricClassification.NoData or MetricClassification.NoDataFailMetric or MetricClassification.Error
            ? string.Empty
            : string.Create(CultureInfo.InvariantCulture, $" ×{metric.Deviation:0.###}");
        return $"{metric.Name} {metric.Classification}{flags}{ratio}";
    }

    private static double[] Values(KayentaSlice[] window, Func<KayentaSlice, IReadOnlyList<double?>> side, int metric) =>
        [.. window.Select(side).Where(values => metric < values.Count && values[metric] is not null).Select(values => values[metric]!.Value)];

    private static double?[] Samples(JudgeSpec spec, TrafficCounts counts)
    {
        // A quantile of a handful of requests is their slowest one; an error rate is still an unbiased estimate.
        var requests = Math.Max(0, counts.Requests);
        var enoughForLatency = requests > 0 && requests >= spec.MinRequestsPerSample;
        return [.. spec.Metrics.Select(metric =>
        {
            if (requests == 0 || !KayentaMetricSpec.TryParse(metric.Name, out var quantile))
            {
                return (double?)null;
            }

            return quantile is { } q
                ? enoughForLatency ? Quantile(counts.LatencyBuckets, q) : null
                : (double)Math.Clamp(counts.Errors, 0, requests) / requests;
        })];
    }

    private static bool Fits(JudgeSpec spec, KayentaJudgeState? state) =>
        state is not null && state.Metrics.SequenceEqual(spec.Metrics.Select(m => m.Name), StringComparer.Ordinal);

    /// <summary>Starts the samples over for the spec's metrics, keeping where the last slice ended so that no request is counted twice.</summary>
    private static KayentaJudgeState Fresh(JudgeSpec spec, KayentaJudgeState? previous) => new()
    {
        SampledUntil = previous?.SampledUntil,
        Judgements = previous?.Judgements ?? 0,
        Metrics = [.. spec.Metrics.Select(m => m.Name)],
    };
}
