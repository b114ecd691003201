using Canary.Analysis;
using Canary.Model;

namespace Canary.Testing.Simulation;

/// <summary>
/// Answers every metric of a simulation (provider <c>*</c>): the builtin success rate and P99 duration from the
/// <see cref="SimulatedTraffic"/> over the metric's interval, and custom metrics from fixed values.
/// </summary>
/// <param name="traffic">The traffic to measure.</param>
/// <param name="fixedValues">Values of custom metrics, by metric name (or template name); a metric with none has no data.</param>
public sealed class SimulatedMetricProvider(SimulatedTraffic traffic, IReadOnlyDictionary<string, double>? fixedValues = null) : IMetricProvider
{
    private readonly IReadOnlyDictionary<string, double> _fixedValues = fixedValues ?? new Dictionary<string, double>();

    /// <summary>Gets <c>*</c>: the simulation answers every provider type.</summary>
    public string Name => "*";

    /// <inheritdoc />
    public ValueTask<MetricResult> QueryAsync(MetricQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var metric = query.Metric;
        if (!metric.IsBuiltin)
        {
            return ValueTask.FromResult(
                _fixedValues.TryGetValue(metric.Name, out var value) || (query.Template is { } template && _fixedValues.TryGetValue(template.Name, out value))
                    ? new MetricResult(value, null, $"simulated value of {metric.Name}")
                    : MetricResult.NoData($"no simulated value for metric {metric.Name} (give one with --metric {metric.Name}=VALUE)"));
        }

        var window = metric.EffectiveInterval;
        var sample = traffic.Window(query.Canary.Id, query.Role, window);
        if (sample.Requests == 0)
        {
            return ValueTask.FromResult(MetricResult.NoData($"no requests reached the {query.Role.ToString().ToLowerInvariant()} in the last {window.TotalSeconds:0}s"));
        }

        var result = metric.Name == BuiltinMetrics.RequestSuccessRate ? sample.SuccessRate : sample.Latency.Quantile(0.99);
        return ValueTask.FromResult(new MetricResult(result, sample.Requests));
    }
}
