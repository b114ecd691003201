namespace Canary.Statistics;

/// <summary>The judge's label for one metric.</summary>
public enum MetricClassification
{
    /// <summary>No significant difference in a failing direction, or one too small to matter.</summary>
    Pass,

    /// <summary>The canary is significantly and materially higher than the baseline.</summary>
    High,

    /// <summary>The canary is significantly and materially lower than the baseline.</summary>
    Low,

    /// <summary>A side had no data; the metric is left out of its groups' scores.</summary>
    NoData,

    /// <summary>A side had no data and the metric must have data; it counts as a failure in its groups.</summary>
    NoDataFailMetric,

    /// <summary>The metric could not be judged (bad configuration or unusable values); it is left out of the score.</summary>
    Error,
}
