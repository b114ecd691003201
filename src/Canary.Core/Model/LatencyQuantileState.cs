namespace Canary.Model;

/// <summary>The evidence of one latency quantile in a <see cref="SequentialTestState"/>.</summary>
public sealed record LatencyQuantileState
{
    /// <summary>Gets the quantile, for example 0.99.</summary>
    public double Quantile { get; init; }

    /// <summary>Gets the comparison workload's quantile, in milliseconds, from earlier intervals: the next interval is tested against it; <see langword="null"/> until known.</summary>
    public double? ThresholdMilliseconds { get; init; }

    /// <summary>Gets the canary's requests slower than the allowed ratio times the threshold, so far in the run.</summary>
    public long CanarySlow { get; init; }

    /// <summary>Gets the canary's requests tested against a threshold so far.</summary>
    public long CanaryTested { get; init; }

    /// <summary>Gets the comparison workload's requests slower than the threshold so far.</summary>
    public long ComparisonSlow { get; init; }

    /// <summary>Gets the comparison workload's requests tested against a threshold so far.</summary>
    public long ComparisonTested { get; init; }

    /// <summary>Gets the log-likelihood ratios of the rollback mixture's alternatives; empty before any evidence.</summary>
    public IReadOnlyList<double> RollbackLogRatios { get; init; } = [];

    /// <summary>Gets the log-likelihood ratios of the promotion mixture's alternatives; empty before any evidence.</summary>
    public IReadOnlyList<double> PromotionLogRatios { get; init; } = [];
}
