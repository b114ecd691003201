namespace Canary.Statistics;

/// <summary>The judge's verdict on a canary: the summary score, its classification, and the parts.</summary>
/// <param name="Score">The summary score from 0 to 100, rounded to two decimals.</param>
/// <param name="Verdict">The score against the pass and marginal thresholds.</param>
/// <param name="Reason">Why the score was forced to 0, or <see langword="null"/>.</param>
/// <param name="Metrics">Every metric's judgement, muted ones included, in input order.</param>
/// <param name="Groups">Every group's score, in order of first appearance.</param>
public sealed record CanaryJudgement(
    double Score,
    JudgeVerdict Verdict,
    string? Reason,
    IReadOnlyList<MetricJudgement> Metrics,
    IReadOnlyList<GroupScore> Groups);
