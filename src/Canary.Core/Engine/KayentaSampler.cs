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
    /// <summary>The fewest slices per side at which Kayenta's rank-sum test at 98% confidence can find any difference (five against five, fully separated).</summary>
    public const int MinSlicesPerWindow = 5;

    /// <summary>
    /// Closes the open slice with the counts since the last one and adds its samples, dropping the oldest slices beyond
    /// <see cref="JudgeSpec.MaxSlices"/>. While either workload has served fewer than
    /// <see cref="JudgeSpec.MinRequestsPerSample"/> requests the slice stays open: the state is returned as it was (or
    /// started over for other metrics), with <see cref="KayentaJudgeState.SampledUntil"/> where it was, so that the next
    /// count covers these requests too.
    /// </summary>
    public static KayentaJudgeState AddSlice(JudgeSpec spec, KayentaJudgeState? previous, TrafficCounts canary, TrafficCounts comparison, DateTimeOffset now)
    {
        var state = Fits(spec, previous) ? previous! : Fresh(spec, previous);
        if (!Closes(spec, canary) || !Closes(spec, comparison))
        {
            return state;
        }

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

    /// <summary>Gets how many closed slices the window that would be judged now holds.</summary>
    public static int WindowSlices(JudgeSpec spec, KayentaJudgeState state) => Window(spec, state).Length;

    /// <summary>Records a step that found too few slices to judge: no judgement, so the window's slices stay in the next one.</summary>
    public static KayentaJudgeState Hold(KayentaJudgeState state) => state with { HeldIntervals = state.HeldIntervals + 1 };

    /// <summary>Judges the window that ends now and records the judgement; the slices taken next belong to the next window.</summary>
    /// <exception cref="ArgumentException">The spec's thresholds or group weights are not valid (the validator reports them).</exception>
    public static (KayentaJudgeState State, CanaryJudgement Judgement, int Slices) Judge(JudgeSpec spec, KayentaJudgeState state)
    {
        var judge = new CanaryJudge(new JudgeOptions
        {
            PassThreshold = spec.ScoreThresholds.Pass,
            MarginalThreshold = spec.ScoreThresholds.Marginal,
            GroupWeights = spec.GroupWeights,
        });
        var window = Window(spec, state);
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
        var next = state with { Judgements = state.Judgements + 1, HeldIntervals = 0, LastScore = judgement.Score, LastVerdict = judgement.Verdict };
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

    /// <summary>The slices of the last <see cref="JudgeSpec.LookbackIntervals"/> windows, the open one included (all kept slices for 0).</summary>
    private static KayentaSlice[] Window(JudgeSpec spec, KayentaJudgeState state)
    {
        var first = spec.LookbackIntervals <= 0 ? int.MinValue : state.Judgements - spec.LookbackIntervals + 1;
        return [.. state.Slices.Where(s => s.Interval >= first)];
    }

    /// <summary>Whether a workload's counts are enough to close a slice: at least one request, and the spec's minimum.</summary>
    private static bool Closes(JudgeSpec spec, TrafficCounts counts) => counts.Requests >= Math.Max(1, spec.MinRequestsPerSample);

    private static double[] Values(KayentaSlice[] window, Func<KayentaSlice, IReadOnlyList<double?>> side, int metric) =>
        [.. window.Select(side).Where(values => metric < values.Count && values[metric] is not null).Select(values => values[metric]!.Value)];

    /// <summary>One closed slice's value of each metric; the slice holds enough requests (<see cref="Closes"/>), so only an empty histogram leaves a quantile out.</summary>
    private static double?[] Samples(JudgeSpec spec, TrafficCounts counts)
    {
        var requests = counts.Requests;
        return [.. spec.Metrics.Select(metric => !KayentaMetricSpec.TryParse(metric.Name, out var quantile)
            ? null
            : quantile is { } q
                ? Quantile(counts.LatencyBuckets, q)
                : (double?)Math.Clamp(counts.Errors, 0, requests) / requests)];
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
