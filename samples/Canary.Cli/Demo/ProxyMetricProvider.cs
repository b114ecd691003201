using System.Globalization;
using Canary.Analysis;
using Canary.Model;
using Canary.Workloads;

namespace Canary.Cli.Demo;

/// <summary>
/// Answers the builtin metrics from the <see cref="WeightedProxy"/>'s own counters, without Prometheus: <c>request-success-rate</c>
/// (percent of requests not answered 5xx) and <c>request-duration</c> (the 99th percentile in milliseconds) of the canary's (or the
/// primary's) requests over the metric's interval, to the second, by the proxy's <see cref="TimeProvider"/>. A window without
/// requests has no data, which the engine judges by the check's no-data policy.
/// </summary>
/// <param name="metrics">The proxy's measurements.</param>
/// <param name="name">The provider type it answers; set <c>CanaryEngineOptions.BuiltinMetricsProvider</c> to it.</param>
public sealed class ProxyMetricProvider(ProxyMetrics metrics, string name = ProxyMetricProvider.DefaultName) : IMetricProvider
{
    /// <summary>The default provider type: <c>demo-proxy</c>.</summary>
    public const string DefaultName = "demo-proxy";

    private readonly ProxyMetrics _metrics = metrics ?? throw new ArgumentNullException(nameof(metrics));

    /// <inheritdoc />
    public string Name { get; } = string.IsNullOrWhiteSpace(name) ? throw new ArgumentException("The provider name is required.", nameof(name)) : name;

    /// <inheritdoc />
    public ValueTask<MetricResult> QueryAsync(MetricQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        return ValueTask.FromResult(Measure(query));
    }

    private MetricResult Measure(MetricQuery query)
    {
        var metric = query.Metric;
        if (!metric.IsBuiltin)
        {
            return MetricResult.NoData($"the demo proxy measures only {BuiltinMetrics.RequestSuccessRate} and {BuiltinMetrics.RequestDuration}, not {metric.Name}");
        }

        var canary = query.Canary;
        var service = canary.Spec.Service.Name ?? canary.Spec.TargetRef.Name;
        if (canary.Id.Namespace != _metrics.Namespace || service != _metrics.Service)
        {
            return MetricResult.NoData($"the demo proxy serves the Service {_metrics.Service} in {_metrics.Namespace}, not {service} in {canary.Id.Namespace}");
        }

        if (query.Role is not (WorkloadRole.Canary or WorkloadRole.Primary))
        {
            return MetricResult.NoData($"the demo proxy cannot tell the {query.Role.ToString().ToLowerInvariant()}'s requests apart");
        }

        var window = metric.EffectiveInterval;
        var sample = _metrics.Window(query.Role, window);
        var role = query.Role.ToString().ToLowerInvariant();
        var seconds = window.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
        if (sample.Requests == 0)
        {
            return MetricResult.NoData($"no requests reached the {role} through the demo proxy in the last {seconds}s");
        }

        return metric.Name == BuiltinMetrics.RequestSuccessRate
            ? new MetricResult(sample.SuccessRate, sample.Requests, $"{role} success rate over {seconds}s at the demo proxy")
            : new MetricResult(sample.Latency.Quantile(0.99), sample.Requests, $"{role} P99 request duration over {seconds}s at the demo proxy");
    }
}
