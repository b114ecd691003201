namespace Canary.Metrics.Prometheus;

/// <summary>One series of an instant vector: its labels and its value.</summary>
/// <param name="Labels">The series' labels; empty for a scalar or an aggregate without <c>by</c>.</param>
/// <param name="Value">The sample's value; NaN and infinities as Prometheus wrote them.</param>
internal sealed record PrometheusSample(IReadOnlyDictionary<string, string> Labels, double Value);
