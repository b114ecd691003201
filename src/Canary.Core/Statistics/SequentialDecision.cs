namespace Canary.Statistics;

/// <summary>A sequential test's verdict after an interval, with the evidence behind it.</summary>
/// <param name="Verdict">What the test concludes so far.</param>
/// <param name="RollbackEValue">The evidence that the canary is worse than allowed; Reject when it reaches <paramref name="RollbackThreshold"/>.</param>
/// <param name="RollbackThreshold">1 / false-rollback rate (times the number of quantiles for latency).</param>
/// <param name="PromotionEValue">The evidence that the canary is within the margin; Accept when it reaches <paramref name="PromotionThreshold"/>.</param>
/// <param name="PromotionThreshold">1 / false-promotion rate.</param>
/// <param name="Reason">What decided the verdict, in plain words.</param>
public sealed record SequentialDecision(
    SequentialVerdict Verdict,
    double RollbackEValue,
    double RollbackThreshold,
    double PromotionEValue,
    double PromotionThreshold,
    string Reason);
