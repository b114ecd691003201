namespace Canary.Statistics;

/// <summary>The judge's verdict on one metric.</summary>
/// <param name="Name">The metric's name.</param>
/// <param name="Classification">The label.</param>
/// <param name="Critical">
/// Whether the result fails the whole canary: a critical metric that is High or Low beyond its critical effect size,
/// or that has no data.
/// </param>
/// <param name="Reason">Why, in plain words, or <see langword="null"/> for an unremarkable pass.</param>
/// <param name="Deviation">mean(canary) / mean(baseline) after cleaning; NaN when either mean is 0 or on error.</param>
/// <param name="EffectSize">The effect size in the configured measure; NaN when undefined.</param>
/// <param name="Test">The rank-sum test, when one was run.</param>
/// <param name="CanaryCount">How many canary values were compared after cleaning.</param>
/// <param name="BaselineCount">How many baseline values were compared after cleaning.</param>
public sealed record MetricJudgement(
    string Name,
    MetricClassification Classification,
    bool Critical,
    string? Reason,
    double Deviation,
    double EffectSize,
    MannWhitneyResult? Test,
    int CanaryCount,
    int BaselineCount)
{
    /// <summary>Gets the groups the metric scores in.</summary>
    public IReadOnlyList<string> Groups { get; init; } = [];

    /// <summary>Gets a value indicating whether the metric is reported but left out of the score.</summary>
    public bool Muted { get; init; }
}
