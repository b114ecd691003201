using System.Globalization;
using Canary.Statistics;

namespace Canary.Model;

/// <summary>
/// One metric of a Kayenta judge (<c>judge.metrics[]</c>): which sample it is, and how Kayenta's canary-config block
/// (<c>analysisConfigurations.canary</c>) judges it.
/// </summary>
public sealed record KayentaMetricSpec
{
    /// <summary>The name of the error-rate metric: failed requests / requests of each slice.</summary>
    public const string ErrorRate = "error-rate";

    /// <summary>The prefix of a latency-quantile metric, followed by the quantile in percent: <c>latency-p99</c>, <c>latency-p99.9</c>.</summary>
    public const string LatencyPrefix = "latency-p";

    /// <summary>
    /// Gets the metric: <see cref="ErrorRate"/>, or a latency quantile in milliseconds such as <c>latency-p50</c> or
    /// <c>latency-p99.9</c>, estimated from each slice's histogram.
    /// </summary>
    public required string Name { get; init; }

    /// <summary>Gets which way the canary may move before the metric fails.</summary>
    /// <value>The default value is <see cref="MetricDirection.Increase"/>: for error rates and latencies only higher is worse (Kayenta's default is <c>either</c>).</value>
    public MetricDirection Direction { get; init; } = MetricDirection.Increase;

    /// <summary>Gets a value indicating whether a failure of this metric fails the whole judgement (score 0).</summary>
    public bool Critical { get; init; }

    /// <summary>Gets a value indicating whether a window without samples fails the metric (NoDataFailMetric) instead of leaving it out.</summary>
    public bool MustHaveData { get; init; }

    /// <summary>Gets a value indicating whether the metric is classified and reported but not scored.</summary>
    public bool Muted { get; init; }

    /// <summary>Gets the groups the metric scores in; none scores it in the <c>default</c> group.</summary>
    public IReadOnlyList<string> Groups { get; init; } = [];

    /// <summary>Gets the effect-size gates (<c>allowedIncrease</c>, <c>allowedDecrease</c>, <c>criticalIncrease</c>, <c>criticalDecrease</c>).</summary>
    public EffectSizeConfig EffectSize { get; init; } = new();

    /// <summary>Gets how the samples' outliers are treated.</summary>
    public OutlierConfig Outliers { get; init; } = new();

    /// <summary>Reads a metric name: the error rate, or a latency quantile.</summary>
    /// <param name="name">The metric's name.</param>
    /// <param name="quantile">The latency quantile, strictly between 0 and 1, or <see langword="null"/> for the error rate.</param>
    /// <returns><see langword="true"/> when the name is a known metric.</returns>
    internal static bool TryParse(string? name, out double? quantile)
    {
        quantile = null;
        if (name == ErrorRate)
        {
            return true;
        }

        if (name is null || !name.StartsWith(LatencyPrefix, StringComparison.Ordinal))
        {
            return false;
        }

        var digits = name.AsSpan(LatencyPrefix.Length);
        if (digits.IsEmpty || !char.IsAsciiDigit(digits[0]) || !char.IsAsciiDigit(digits[^1])
            || !double.TryParse(digits, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var percent)
            || !(percent > 0 && percent < 100))
        {
            return false;
        }

        quantile = percent / 100;
        return true;
    }
}
