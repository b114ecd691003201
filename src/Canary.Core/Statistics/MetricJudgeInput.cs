namespace Canary.Statistics;

/// <summary>One metric to judge: its configuration and the samples of both sides over the same window.</summary>
/// <param name="Config">How the metric is judged.</param>
/// <param name="Canary">The canary's values (Kayenta's "experiment"); NaN marks a missing point.</param>
/// <param name="Baseline">The baseline's values (Kayenta's "control"); NaN marks a missing point.</param>
public sealed record MetricJudgeInput(MetricJudgeConfig Config, IReadOnlyList<double> Canary, IReadOnlyList<double> Baseline);
