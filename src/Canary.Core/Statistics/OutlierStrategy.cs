namespace Canary.Statistics;

/// <summary>Whether the judge removes outliers from each side before comparing.</summary>
public enum OutlierStrategy
{
    /// <summary>Keep every value; Kayenta's default.</summary>
    Keep,

    /// <summary>Drop the values outside the interquartile-range fences (see <see cref="OutlierConfig"/>).</summary>
    Remove,
}
