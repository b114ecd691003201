using System.Globalization;

namespace Canary.Statistics;

/// <summary>
/// A Kayenta-style judge (NetflixACAJudge): classifies each metric by comparing the canary's samples with the
/// baseline's, then scores the groups and the canary.
/// </summary>
/// <remarks>
/// <para>Per metric, in order:</para>
/// <list type="number">
/// <item>NaNs are removed or replaced by 0; with <see cref="OutlierStrategy.Remove"/>, IQR outliers are dropped from each side.</item>
/// <item>An empty side gives NoData (NoDataFailMetric when the metric must have data and is not critical; a critical
/// metric keeps its critical flag) with <see cref="NanStrategy.Remove"/>, and Pass with <see cref="NanStrategy.Replace"/>.
/// Identical sorted samples pass; so do samples with one distinct value between them.</item>
/// <item>A two-sided rank-sum test (<see cref="MannWhitneyTest"/>) at <see cref="JudgeOptions.ConfidenceLevel"/> gives the
/// Hodges–Lehmann shift and its interval. With bound = <see cref="JudgeOptions.Tolerance"/> × |shift|, the metric is High
/// when increases count, the interval's low end exceeds +bound and the effect size is at least the allowed increase;
/// Low when decreases count, the high end is below −bound and the effect size is at most the allowed decrease;
/// otherwise Pass. A NaN effect size skips the effect-size gate. The deviation reported is always the mean ratio.</item>
/// <item>A critical metric that is High with effect ≥ the critical increase, or Low with effect ≤ the critical decrease,
/// is flagged critical.</item>
/// </list>
/// <para>
/// Scoring: muted metrics are dropped; a group scores 100 × Pass / (Pass + High + Low + NoDataFailMetric), or 100 when
/// that is 0/0; the summary is Σ group score × weight / 100, with unweighted groups sharing (100 − Σ given weights)
/// equally, rounded half up to two decimals. Any critical-flagged metric that is not Pass, or NoData in at least half
/// the metrics, forces the score to 0. The score is then Pass at or above the pass threshold, Marginal at or above the
/// marginal threshold, and Fail below.
/// </para>
/// <para>Where this judge differs from Kayenta's:</para>
/// <list type="bullet">
/// <item>When both sides are constant (but different), Kayenta adds Gaussian noise (sd 1e-5 × value) before the test;
/// here the test is exact instead (the interval is the difference itself), so the result is deterministic.</item>
/// <item>The Hodges–Lehmann estimate is exactly the median of pairwise differences and the interval ends are exact
/// pairwise differences, where Kayenta's Brent solver returns a point within its tolerance (see
/// <see cref="MannWhitneyTest"/>).</item>
/// <item>A metric without groups scores in <see cref="DefaultGroup"/>; Kayenta leaves it out of every group.</item>
/// <item>Bad metric settings or infinite values give Error with a reason that names the problem, where Kayenta logs an
/// exception. As in Kayenta, Error is left out of the score and never carries the critical flag.</item>
/// <item>Muted metrics are still classified and reported (flagged <see cref="MetricJudgement.Muted"/>), but never scored.</item>
/// <item>With no unmuted metric at all the score is 0 with a reason, rather than an empty sum.</item>
/// </list>
/// </remarks>
public sealed class CanaryJudge
{
    /// <summary>The group a metric without groups scores in.</summary>
    public const string DefaultGroup = "default";

    /// <summary>The share of NoData metrics, in percent, at which the score is forced to 0.</summary>
    public const double NoDataThresholdPercent = 50;

    /// <summary>Initialises the judge.</summary>
    /// <param name="options">The settings; <see langword="null"/> uses the defaults.</param>
    /// <exception cref="ArgumentException">The settings are not valid; the message lists every problem.</exception>
    public CanaryJudge(JudgeOptions? options = null)
    {
        Options = options ?? new JudgeOptions();
        var errors = Options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException(
                "Invalid judge options: " + string.Join("; ", errors), nameof(options));
        }
    }

    /// <summary>Gets the settings.</summary>
    public JudgeOptions Options { get; }

    /// <summary>Classifies every metric and scores the canary.</summary>
    /// <param name="metrics">The metrics with their samples.</param>
    /// <returns>The summary score, the verdict, and every metric's and group's result.</returns>
    public CanaryJudgement Judge(IReadOnlyList<MetricJudgeInput> metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        return Score(metrics.Select(Classify).ToArray());
    }

    /// <summary>Classifies one metric.</summary>
    /// <param name="metric">The metric with its samples.</param>
    /// <returns>The metric's label, flags and statistics.</returns>
    public MetricJudgement Classify(MetricJudgeInput metric)
    {
        ArgumentNullException.ThrowIfNull(metric);
        ArgumentNullException.ThrowIfNull(metric.Config, nameof(metric));
        ArgumentNullException.ThrowIfNull(metric.Canary, nameof(metric));
        ArgumentNullException.ThrowIfNull(metric.Baseline, nameof(metric));
        var judgement = ClassifyCore(metric);
        return judgement with { Groups = metric.Config.Groups, Muted = metric.Config.Muted };
    }

    /// <summary>Scores metrics that are already classified (Kayenta's weighted-sum scorer and threshold classifier).</summary>
    /// <param name="judgements">The metrics' judgements.</param>
    /// <returns>The summary score, the verdict, and every group's score.</returns>
    public CanaryJudgement Score(IReadOnlyList<MetricJudgement> judgements)
    {
        ArgumentNullException.ThrowIfNull(judgements);
        var scored = judgements.Where(j => !j.Muted).ToArray();
        var groups = ScoreGroups(scored);

        string? reason = null;
        double score;
        var criticalFailure = scored.FirstOrDefault(j => j.Critical && j.Classification != MetricClassification.Pass);
        var noData = scored.Count(j => j.Classification == MetricClassification.NoData);
        if (scored.Length == 0)
        {
            score = 0;
            reason = "There are no unmuted metrics to judge.";
        }
        else if (criticalFailure is not null)
        {
            score = 0;
            reason = $"Critical metric {criticalFailure.Name} is {criticalFailure.Classification}: {criticalFailure.Reason}";
        }
        else if (100.0 * noData / scored.Length >= NoDataThresholdPercent)
        {
            score = 0;
            reason = string.Create(
                CultureInfo.InvariantCulture,
                $"{noData} of {scored.Length} metrics have no data ({NoDataThresholdPercent}% or more).");
        }
        else
        {
            score = Math.Round(groups.Sum(g => g.Score * g.Weight / 100), 2, MidpointRounding.AwayFromZero);
        }

        var verdict = score >= Options.PassThreshold ? JudgeVerdict.Pass
            : score >= Options.MarginalThreshold ? JudgeVerdict.Marginal
            : JudgeVerdict.Fail;
        return new CanaryJudgement(score, verdict, reason, judgements, groups);
    }

    private GroupScore[] ScoreGroups(IReadOnlyList<MetricJudgement> scored)
    {
        var order = new List<string>();
        var members = new Dictionary<string, List<MetricJudgement>>(StringComparer.Ordinal);
        foreach (var judgement in scored)
        {
            var names = judgement.Groups.Count == 0 ? [DefaultGroup] : judgement.Groups.Distinct(StringComparer.Ordinal);
            foreach (var name in names)
            {
                if (!members.TryGetValue(name, out var list))
                {
                    members[name] = list = [];
                    order.Add(name);
                }

                list.Add(judgement);
            }
        }

        // As in Kayenta, every configured weight is subtracted, present group or not.
        var unweighted = order.Count(g => !Options.GroupWeights.ContainsKey(g));
        var sharedWeight = unweighted > 0 ? (100 - Options.GroupWeights.Values.Sum()) / unweighted : 0;
        return order.Select(name =>
        {
            var list = members[name];
            var pass = list.Count(j => j.Classification == MetricClassification.Pass);
            var fail = list.Count(j => j.Classification is MetricClassification.High or MetricClassification.Low
                or MetricClassification.NoDataFailMetric);
            var hasData = pass + fail > 0;
            var score = hasData ? 100.0 * pass / (pass + fail) : 100;
            var weight = Options.GroupWeights.TryGetValue(name, out var given) ? given : sharedWeight;
            return new GroupScore(name, score, hasData, weight, pass, fail, list.Count);
        }).ToArray();
    }

    private MetricJudgement ClassifyCore(MetricJudgeInput metric)
    {
        var config = metric.Config;
        var name = config.Name;
        var problem = FindConfigProblem(config);
        if (problem is not null)
        {
            return Error(name, problem);
        }

        var canary = Clean(metric.Canary, config);
        var baseline = Clean(metric.Baseline, config);
        if (canary.Concat(baseline).Any(double.IsInfinity))
        {
            return Error(name, $"{name} has infinite values, which cannot be compared");
        }

        if (canary.Count == 0 || baseline.Count == 0)
        {
            var side = canary.Count == 0 ? (baseline.Count == 0 ? "canary and baseline" : "canary") : "baseline";
            var reason = $"Missing data for {name} ({side})";
            if (config.NanStrategy == NanStrategy.Replace)
            {
                return new(name, MetricClassification.Pass, false, reason, 1.0, double.NaN, null, canary.Count, baseline.Count);
            }

            return config.MustHaveData && !config.Critical
                ? new(name, MetricClassification.NoDataFailMetric, false, reason, 1.0, double.NaN, null, canary.Count, baseline.Count)
                : new(name, MetricClassification.NoData, config.Critical, reason, 1.0, double.NaN, null, canary.Count, baseline.Count);
        }

        if (canary.Order().SequenceEqual(baseline.Order()))
        {
            return new(name, MetricClassification.Pass, false, $"The canary and baseline data for {name} are identical",
                1.0, double.NaN, null, canary.Count, baseline.Count);
        }

        if (canary.Concat(baseline).Distinct().Count() == 1)
        {
            return new(name, MetricClassification.Pass, false, $"{name} has a single value on both sides",
                1.0, double.NaN, null, canary.Count, baseline.Count);
        }

        return Compare(config, canary, baseline);
    }

    private MetricJudgement Compare(MetricJudgeConfig config, IReadOnlyList<double> canary, IReadOnlyList<double> baseline)
    {
        var test = MannWhitneyTest.Compute(canary, baseline, Options.ConfidenceLevel);
        var bound = Options.Tolerance * Math.Abs(test.Estimate);
        var deviation = MeanRatio(canary, baseline);
        var effects = config.EffectSize;
        var effect = effects.Measure == EffectSizeMeasure.Cles ? test.CommonLanguageEffectSize : deviation;

        var high = config.Direction is MetricDirection.Increase or MetricDirection.Either
            && test.ConfidenceInterval.Low > bound
            && AtLeast(effect, effects.EffectiveAllowedIncrease);
        var low = !high
            && config.Direction is MetricDirection.Decrease or MetricDirection.Either
            && test.ConfidenceInterval.High < -bound
            && AtMost(effect, effects.EffectiveAllowedDecrease);

        var classification = high ? MetricClassification.High : low ? MetricClassification.Low : MetricClassification.Pass;
        var critical = config.Critical
            && ((high && AtLeast(effect, effects.EffectiveCriticalIncrease))
                || (low && AtMost(effect, effects.EffectiveCriticalDecrease)));
        var reason = classification == MetricClassification.Pass
            ? null
            : string.Create(
                CultureInfo.InvariantCulture,
                $"{config.Name} was classified as {classification}{(critical ? " (critical)" : string.Empty)}: shift {test.Estimate:G6}, "
                + $"{test.ConfidenceInterval.Level:P0} interval [{test.ConfidenceInterval.Low:G6}, {test.ConfidenceInterval.High:G6}], "
                + $"mean ratio {deviation:G4}");
        return new(config.Name, classification, critical, reason, deviation, effect, test, canary.Count, baseline.Count);
    }

    // A NaN effect size skips the effect-size gate, as in Kayenta.
    private static bool AtLeast(double effect, double threshold) => double.IsNaN(effect) || effect >= threshold;

    private static bool AtMost(double effect, double threshold) => double.IsNaN(effect) || effect <= threshold;

    private static double MeanRatio(IReadOnlyList<double> canary, IReadOnlyList<double> baseline)
    {
        var canaryMean = canary.Average();
        var baselineMean = baseline.Average();
        return canaryMean == 0 || baselineMean == 0 ? double.NaN : canaryMean / baselineMean;
    }

    private static IReadOnlyList<double> Clean(IReadOnlyList<double> values, MetricJudgeConfig config)
    {
        IReadOnlyList<double> cleaned = config.NanStrategy == NanStrategy.Replace
            ? values.Select(v => double.IsNaN(v) ? 0 : v).ToArray()
            : values.Where(v => !double.IsNaN(v)).ToArray();
        return config.Outliers.Strategy == OutlierStrategy.Remove
            && !cleaned.Any(double.IsInfinity)
            ? OutlierFilter.RemoveOutliers(cleaned, config.Outliers.Factor)
            : cleaned;
    }

    private static string? FindConfigProblem(MetricJudgeConfig config)
    {
        if (string.IsNullOrWhiteSpace(config.Name))
        {
            return "name must not be empty";
        }

        var name = config.Name;
        if (config.Outliers is null || config.EffectSize is null || config.Groups is null)
        {
            return $"{name}: groups, effectSize and outliers must not be null";
        }

        if (!(config.Outliers.Factor > 0 && double.IsFinite(config.Outliers.Factor)))
        {
            return $"{name}: outliers.factor must be a finite number greater than 0, not {config.Outliers.Factor}";
        }

        var effects = config.EffectSize;
        var cles = effects.Measure == EffectSizeMeasure.Cles;
        foreach (var (field, value) in new[]
                 {
                     ("allowedIncrease", effects.EffectiveAllowedIncrease),
                     ("allowedDecrease", effects.EffectiveAllowedDecrease),
                     ("criticalIncrease", effects.EffectiveCriticalIncrease),
                     ("criticalDecrease", effects.EffectiveCriticalDecrease),
                 })
        {
            if (cles ? !(value >= 0 && value <= 1) : !(value >= 0 && double.IsFinite(value)))
            {
                var expected = cles ? "a probability between 0 and 1" : "a finite ratio of at least 0";
                return $"{name}: effectSize.{field} must be {expected} for {effects.Measure}, not {value}";
            }
        }

        return null;
    }

    private static MetricJudgement Error(string name, string reason) =>
        new(name ?? string.Empty, MetricClassification.Error, false, reason, double.NaN, double.NaN, null, 0, 0);
}
