namespace Canary.Model;

/// <summary>The range a metric's value must fall in; a missing bound is open.</summary>
/// <param name="Min">The lowest passing value, or <see langword="null"/>.</param>
/// <param name="Max">The highest passing value, or <see langword="null"/>.</param>
public sealed record ThresholdRange(double? Min = null, double? Max = null)
{
    /// <summary>Gets a value indicating whether <paramref name="value"/> is within the range.</summary>
    /// <param name="value">A metric value.</param>
    /// <returns><see langword="true"/> when the value passes.</returns>
    public bool Contains(double value) => (Min is null || value >= Min) && (Max is null || value <= Max);
}
