using Canary.Analysis;

namespace Canary.Kubernetes.Tests.TestSupport;

/// <summary>Answers every metric query with one value, which a test may change between steps.</summary>
internal sealed class FixedMetricProvider(double value) : IMetricProvider
{
    public string Name => "*";

    public double Value { get; set; } = value;

    public ValueTask<MetricResult> QueryAsync(MetricQuery query, CancellationToken cancellationToken) => ValueTask.FromResult(new MetricResult(Value, 100));
}
