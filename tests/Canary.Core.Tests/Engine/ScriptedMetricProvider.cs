using Canary.Analysis;

namespace Canary.Core.Tests.Engine;

/// <summary>A metric provider whose answers a test sets per metric: a value, no data, or an exception.</summary>
internal sealed class ScriptedMetricProvider : IMetricProvider
{
    private readonly Dictionary<string, Func<MetricResult>> _answers = new(StringComparer.Ordinal);

    public string Name => "*";

    public int Queries { get; private set; }

    public void Returns(string metric, double value, long samples = 1000) => _answers[metric] = () => new MetricResult(value, samples);

    public void ReturnsNoData(string metric) => _answers[metric] = () => MetricResult.NoData("empty result");

    public void Throws(string metric, string message) => _answers[metric] = () => throw new InvalidOperationException(message);

    public ValueTask<MetricResult> QueryAsync(MetricQuery query, CancellationToken cancellationToken)
    {
        Queries++;
        return ValueTask.FromResult(_answers.TryGetValue(query.Metric.Name, out var answer) ? answer() : MetricResult.NoData("not scripted"));
    }
}
