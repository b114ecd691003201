namespace Canary.Analysis;

/// <summary>The outcome of a metric query.</summary>
/// <param name="Value">The value, or <see langword="null"/> when there is no data.</param>
/// <param name="SampleCount">How many requests or samples the value summarises, when the provider knows.</param>
/// <param name="Detail">The query as sent, or why there is no data, so that a user can see what was asked.</param>
public readonly record struct MetricResult(double? Value, long? SampleCount = null, string? Detail = null)
{
    /// <summary>Gets a value indicating whether the provider returned a usable value.</summary>
    public bool HasValue => Value is { } v && double.IsFinite(v);

    /// <summary>Returns a result with no data.</summary>
    /// <param name="detail">The query, or why there is no data.</param>
    /// <returns>The result.</returns>
    public static MetricResult NoData(string? detail = null) => new(null, 0, detail);
}
