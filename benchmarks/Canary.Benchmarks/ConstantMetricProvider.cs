using Canary.Analysis;

namespace Canary.Benchmarks;

/// <summary>A metric provider that answers every query at once with a passing value, so the engine's own cost is measured.</summary>
internal sealed class ConstantMetricProvider : IMetricProvider
{
    public string Name => "*";

    public ValueTask<MetricResult> QueryAsync(MetricQuery query, CancellationToken cancellationToken) =>
        ValueTask.FromResult(new MetricResult(query.Metric.ThresholdRange.Min ?? 0, 1000));
}
