namespace Canary.Statistics;

/// <summary>Which way a metric may move before the judge calls it a regression.</summary>
public enum MetricDirection
{
    /// <summary>Both an increase and a decrease fail the metric; Kayenta's default.</summary>
    Either,

    /// <summary>Only an increase fails the metric (latency, errors).</summary>
    Increase,

    /// <summary>Only a decrease fails the metric (throughput, success rate).</summary>
    Decrease,
}
