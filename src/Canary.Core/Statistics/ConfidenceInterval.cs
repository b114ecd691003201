namespace Canary.Statistics;

/// <summary>A two-sided confidence interval.</summary>
/// <param name="Low">The lower limit.</param>
/// <param name="High">The upper limit.</param>
/// <param name="Level">The confidence level, for example 0.98.</param>
public readonly record struct ConfidenceInterval(double Low, double High, double Level)
{
    /// <summary>Gets a value indicating whether the interval contains <paramref name="value"/>.</summary>
    /// <param name="value">The value to test.</param>
    /// <returns><see langword="true"/> when Low ≤ value ≤ High.</returns>
    public bool Contains(double value) => Low <= value && value <= High;
}
