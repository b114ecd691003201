namespace Canary.Statistics;

/// <summary>How the judge treats one metric: Kayenta's <c>analysisConfigurations.canary</c> block plus the groups.</summary>
public sealed record MetricJudgeConfig
{
    /// <summary>Gets the metric's name, used in reasons.</summary>
    public required string Name { get; init; }

    /// <summary>
    /// Gets the groups the metric scores in; it counts in each. A metric with no group scores in
    /// <see cref="CanaryJudge.DefaultGroup"/>.
    /// </summary>
    public IReadOnlyList<string> Groups { get; init; } = [];

    /// <summary>Gets which way the metric may move before it fails.</summary>
    public MetricDirection Direction { get; init; } = MetricDirection.Either;

    /// <summary>Gets what to do with NaN values.</summary>
    public NanStrategy NanStrategy { get; init; } = NanStrategy.Remove;

    /// <summary>Gets a value indicating whether a failure of this metric fails the whole canary (score 0).</summary>
    public bool Critical { get; init; }

    /// <summary>Gets a value indicating whether missing data fails the metric (NoDataFailMetric) instead of skipping it.</summary>
    public bool MustHaveData { get; init; }

    /// <summary>Gets a value indicating whether the metric is reported but left out of the score.</summary>
    public bool Muted { get; init; }

    /// <summary>Gets the effect-size gates.</summary>
    public EffectSizeConfig EffectSize { get; init; } = new();

    /// <summary>Gets how outliers are treated.</summary>
    public OutlierConfig Outliers { get; init; } = new();
}
