namespace Canary.Model;

/// <summary>
/// A statistical comparison of the canary with the baseline (or, without one, the primary) that runs alongside the
/// threshold metrics: <c>analysis.judge</c>. The threshold metrics judge each window on its own; the judge weighs all the
/// evidence of the run, so it can roll back a clear regression after a few requests and promote a clearly healthy canary
/// before the last weight step.
/// </summary>
/// <remarks>
/// <para>
/// With <see cref="JudgeType.Sequential"/> the engine feeds each interval's request, error and latency-histogram counts of
/// both workloads into e-processes, one for the error rate and one per latency quantile. <see cref="FalseRollbackRate"/>
/// is split between them (half for the error rate, half shared by the quantiles), so it bounds the chance that the
/// whole judge ever rolls back a canary within the allowed ratios, however many steps it looks at.
/// </para>
/// <para>
/// With <see cref="JudgeType.Kayenta"/> each look (every <see cref="LookInterval"/>) and step closes a slice once both
/// workloads have served <see cref="MinRequestsPerSample"/> requests since the last one: their counts give one sample
/// per metric and workload (the error rate, and latency quantiles interpolated in the histogram). Once per analysis
/// interval the last <see cref="LookbackIntervals"/> windows' samples are judged by <see cref="Statistics.CanaryJudge"/>;
/// Pass lets the canary advance, Fail (and Marginal, unless <see cref="OnMarginal"/> pauses) is a failed check that
/// adds up to <c>analysis.threshold</c>. A window with too few slices holds the canary (<see cref="MaxHoldIntervals"/>).
/// The sequential settings (rates, ratios, quantiles, <see cref="MinRequests"/>, <see cref="PromoteEarly"/>,
/// <see cref="RequireAcceptance"/>) do not apply to it, nor the Kayenta settings to the sequential judge.
/// </para>
/// </remarks>
public sealed record JudgeSpec
{
    /// <summary>How many looks fit in an analysis interval when <see cref="LookInterval"/> is not set.</summary>
    private const int DefaultLooksPerInterval = 6;

    /// <summary>The shortest default time between looks, so that a short interval does not turn into a busy loop.</summary>
    private static readonly TimeSpan MinimumDefaultLookInterval = TimeSpan.FromSeconds(1);

    /// <summary>Gets the kind of judge.</summary>
    /// <value>The default value is <see cref="JudgeType.Sequential"/>.</value>
    public JudgeType Type { get; init; } = JudgeType.Sequential;

    /// <summary>Gets the chance of ever rolling back a canary whose error rate and latencies are within the allowed ratios; between 0 and 1.</summary>
    /// <value>The default value is 0.01.</value>
    public double FalseRollbackRate { get; init; } = 0.01;

    /// <summary>Gets the chance of promoting early a canary whose error rate or a latency quantile exceeds the allowed ratio; between 0 and 1.</summary>
    /// <value>The default value is 0.05.</value>
    public double FalsePromotionRate { get; init; } = 0.05;

    /// <summary>Gets the largest tolerated ratio of the canary's error rate to the comparison workload's; at least 1.</summary>
    /// <value>The default value is 1.5.</value>
    public double MaxErrorRatio { get; init; } = 1.5;

    /// <summary>Gets the largest tolerated ratio of the canary's latency quantiles to the comparison workload's; at least 1.</summary>
    /// <value>The default value is 1.2.</value>
    public double MaxLatencyRatio { get; init; } = 1.2;

    /// <summary>Gets the latency quantiles compared, each strictly between 0 and 1; empty compares error rates only.</summary>
    /// <value>The default value is p50, p90 and p99.</value>
    public IReadOnlyList<double> LatencyQuantiles { get; init; } = [0.5, 0.9, 0.99];

    /// <summary>Gets how many requests the canary and the comparison workload must each have served in the run before any verdict.</summary>
    /// <value>The default value is 50.</value>
    /// <remarks>The tests are valid at any sample size; this guards against verdicts on a handful of requests whose errors are not independent.</remarks>
    public long MinRequests { get; init; } = 50;

    /// <summary>Gets a value indicating whether a canary the judge accepts skips its remaining weight steps or iterations (confirm-promotion gates still apply).</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool PromoteEarly { get; init; } = true;

    /// <summary>
    /// Gets a value indicating whether promotion needs the judge's acceptance: a canary that has taken its last weight
    /// step or iteration without a verdict waits there, still analysed, until the judge accepts or rejects it (or a
    /// host promotes or aborts it). Without it, such a canary is promoted as the schedule says.
    /// </summary>
    /// <value>The default value is <see langword="false"/>.</value>
    /// <remarks>
    /// With little traffic the judge may not have enough evidence against a moderate regression by the last step;
    /// this keeps such a canary from being promoted on missing evidence, at the cost of a longer wait for healthy ones.
    /// </remarks>
    public bool RequireAcceptance { get; init; }

    /// <summary>
    /// Gets how often the sequential judge looks at the evidence between analysis steps: <see langword="null"/> for a
    /// sixth of <c>analysis.interval</c>, <see cref="TimeSpan.Zero"/> (or anything at least the interval) to look only
    /// at the steps.
    /// </summary>
    /// <value>The default value is <see langword="null"/>: a sixth of the analysis interval, at least one second.</value>
    /// <remarks>
    /// The tests are always valid, so looking more often costs no false-rollback rate: a look that finds a regression
    /// rolls the canary back at once instead of at the next step, and a look that accepts the canary starts the step
    /// that promotes it. Each look reads the two workloads' counts and saves the status, so it costs one status write.
    /// The promotion phases also advance at this pace, since they wait for workloads, not for evidence.
    /// </remarks>
    public TimeSpan? LookInterval { get; init; }

    /// <summary>Gets the scores that classify a <see cref="JudgeType.Kayenta"/> judgement.</summary>
    /// <value>The default value is pass 95, marginal 75, as in Kayenta.</value>
    public KayentaScoreThresholds ScoreThresholds { get; init; } = new();

    /// <summary>
    /// Gets how many analysis intervals of slices a <see cref="JudgeType.Kayenta"/> judgement compares: 1 judges the
    /// last interval's slices alone (Kayenta's sliding lookback of one interval), 0 every slice kept since the run
    /// started (Kayenta's cumulative window, bounded by <see cref="MaxSlices"/>).
    /// </summary>
    /// <value>The default value is 1: each interval is judged on its own data, once.</value>
    public int LookbackIntervals { get; init; } = 1;

    /// <summary>Gets how many slices a <see cref="JudgeType.Kayenta"/> judge keeps in the status; older ones are dropped.</summary>
    /// <value>The default value is 60.</value>
    public int MaxSlices { get; init; } = 60;

    /// <summary>
    /// Gets how many requests each workload must have served for a <see cref="JudgeType.Kayenta"/> judge's slice to
    /// close: until both have, the slice stays open and its counts carry over to the next look or step, so that low
    /// traffic gives fewer, fuller slices rather than slices whose latency quantiles say nothing.
    /// </summary>
    /// <value>The default value is 20.</value>
    public long MinRequestsPerSample { get; init; } = 20;

    /// <summary>
    /// Gets how many analysis intervals in a row a <see cref="JudgeType.Kayenta"/> judge may hold the canary at its
    /// weight, without a verdict or a failed check, while its window has fewer slices than the rank-sum test needs
    /// (five per side); each step after that is a failed check until the window fills. 0 never holds.
    /// </summary>
    /// <value>The default value is 10.</value>
    /// <remarks>
    /// A slice closes only once both workloads have served <see cref="MinRequestsPerSample"/> requests, so at low
    /// traffic a window fills over several intervals; the bound keeps a canary that serves nothing from waiting
    /// forever: it rolls back after at most this many intervals plus <c>analysis.threshold</c>.
    /// </remarks>
    public int MaxHoldIntervals { get; init; } = 10;

    /// <summary>Gets what a marginal <see cref="JudgeType.Kayenta"/> judgement does.</summary>
    /// <value>The default value is <see cref="MarginalAction.Fail"/>: a failed check.</value>
    public MarginalAction OnMarginal { get; init; } = MarginalAction.Fail;

    /// <summary>Gets the metrics a <see cref="JudgeType.Kayenta"/> judge compares.</summary>
    /// <value>The default value is the error rate, p50 and p99 latency, each failing on an increase only.</value>
    public IReadOnlyList<KayentaMetricSpec> Metrics { get; init; } =
    [
        new() { Name = KayentaMetricSpec.ErrorRate },
        new() { Name = KayentaMetricSpec.LatencyPrefix + "50" },
        new() { Name = KayentaMetricSpec.LatencyPrefix + "99" },
    ];

    /// <summary>
    /// Gets the weights, in percent, of the <see cref="JudgeType.Kayenta"/> metrics' groups in the score (Kayenta's
    /// <c>classifier.groupWeights</c>); groups without a weight share what is left of 100.
    /// </summary>
    public IReadOnlyDictionary<string, double> GroupWeights { get; init; } = new Dictionary<string, double>();

    /// <summary>Returns how often the judge looks, given the analysis interval; a value equal to the interval means it looks only at the steps.</summary>
    /// <param name="analysisInterval">The canary's <c>analysis.interval</c>.</param>
    /// <returns>The time between looks, never longer than <paramref name="analysisInterval"/>.</returns>
    public TimeSpan LookIntervalFor(TimeSpan analysisInterval)
    {
        if (Type is not (JudgeType.Sequential or JudgeType.Kayenta) || analysisInterval <= TimeSpan.Zero)
        {
            return analysisInterval;
        }

        var look = LookInterval ?? TimeSpan.FromTicks(Math.Max(analysisInterval.Ticks / DefaultLooksPerInterval, MinimumDefaultLookInterval.Ticks));
        return look <= TimeSpan.Zero || look >= analysisInterval ? analysisInterval : look;
    }
}
