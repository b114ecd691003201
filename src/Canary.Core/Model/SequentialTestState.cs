using Canary.Statistics;

namespace Canary.Model;

/// <summary>
/// The evidence a run's sequential judge (<see cref="JudgeType.Sequential"/>) has gathered: cumulative counts and the
/// log-likelihood ratios of the e-processes' mixtures. It is kept in the <see cref="CanaryStatus"/>, so a restarted
/// engine goes on from it, and cleared when a new run starts.
/// </summary>
public sealed record SequentialTestState
{
    /// <summary>Gets the end of the last interval whose counts were added; the next interval starts there.</summary>
    public DateTimeOffset? SampledUntil { get; init; }

    /// <summary>Gets how many intervals were added.</summary>
    public int Intervals { get; init; }

    /// <summary>Gets the canary's requests so far in the run.</summary>
    public long CanaryRequests { get; init; }

    /// <summary>Gets the canary's failed requests so far in the run.</summary>
    public long CanaryErrors { get; init; }

    /// <summary>Gets the comparison workload's (the baseline's or the primary's) requests so far in the run.</summary>
    public long ComparisonRequests { get; init; }

    /// <summary>Gets the comparison workload's failed requests so far in the run.</summary>
    public long ComparisonErrors { get; init; }

    /// <summary>Gets the error ratio the error mixtures were built for; a different ratio in the spec starts the evidence over.</summary>
    public double MaxErrorRatio { get; init; }

    /// <summary>Gets the latency ratio the latency events were counted with; a different ratio in the spec starts the evidence over.</summary>
    public double MaxLatencyRatio { get; init; }

    /// <summary>Gets the log-likelihood ratios of the error rollback mixture's alternatives; empty before any evidence.</summary>
    public IReadOnlyList<double> ErrorRollbackLogRatios { get; init; } = [];

    /// <summary>Gets the log-likelihood ratios of the error promotion mixture's alternatives; empty before any evidence.</summary>
    public IReadOnlyList<double> ErrorPromotionLogRatios { get; init; } = [];

    /// <summary>Gets the evidence of each latency quantile, in the order of the spec's quantiles.</summary>
    public IReadOnlyList<LatencyQuantileState> Latency { get; init; } = [];

    /// <summary>Gets the verdict so far; Reject and Accept are kept once reached (a later Reject overrides an Accept).</summary>
    public SequentialVerdict Verdict { get; init; }
}
