namespace Canary.Statistics;

/// <summary>How a metric's outliers are treated.</summary>
/// <remarks>
/// With <see cref="OutlierStrategy.Remove"/>, each side separately loses the values below min(p01, Q1 − k·IQR) or above
/// max(p99, Q3 + k·IQR), with k = <see cref="Factor"/>: Kayenta's IQR detector in its always-on "reduced sensitivity"
/// mode. Percentiles use Apache Commons Math's default estimate (position p·(n+1), linear interpolation, clamped to
/// the extremes), as Kayenta does.
/// </remarks>
public sealed record OutlierConfig
{
    /// <summary>Gets whether outliers are kept or removed.</summary>
    public OutlierStrategy Strategy { get; init; } = OutlierStrategy.Keep;

    /// <summary>Gets the multiple of the interquartile range that places the fences; must be positive.</summary>
    public double Factor { get; init; } = 3.0;
}
