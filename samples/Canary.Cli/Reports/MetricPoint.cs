namespace Canary.Cli.Reports;

/// <summary>One check of a metric.</summary>
/// <param name="Time">When it was checked.</param>
/// <param name="Value">The measured value, or <see langword="null"/> when the metric had no data.</param>
/// <param name="Passed">Whether the check passed.</param>
/// <param name="Message">What the engine said.</param>
/// <param name="EventIndex">The event's position in the rollout.</param>
internal sealed record MetricPoint(DateTimeOffset Time, double? Value, bool Passed, string Message, int EventIndex);
