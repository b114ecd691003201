using Canary.Model;

namespace Canary.Analysis;

/// <summary>One metric check's outcome, with the sentence that explains it.</summary>
internal sealed record CheckReport(MetricCheck Metric, CheckVerdict Verdict, double? Value, string Message);
