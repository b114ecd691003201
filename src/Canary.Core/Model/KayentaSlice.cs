namespace Canary.Model;

/// <summary>
/// The samples of one slice of a Kayenta judge's run: the time since the last slice closed (one look at least, more at
/// low traffic: a slice closes only once both workloads have served <see cref="JudgeSpec.MinRequestsPerSample"/>
/// requests), one value per metric and workload. A value is <see langword="null"/> when the slice could not give it.
/// </summary>
public sealed record KayentaSlice
{
    /// <summary>Gets when the slice ended.</summary>
    public DateTimeOffset Until { get; init; }

    /// <summary>
    /// Gets the judged window the slice belongs to: the number of judgements made before it closed, so that the first
    /// is 0. A window that held for want of slices keeps its number, so the next judgement includes its slices.
    /// </summary>
    public int Interval { get; init; }

    /// <summary>Gets the canary's requests in the slice.</summary>
    public long CanaryRequests { get; init; }

    /// <summary>Gets the comparison workload's (the baseline's or the primary's) requests in the slice.</summary>
    public long ComparisonRequests { get; init; }

    /// <summary>Gets the canary's value of each metric, in the order of <see cref="KayentaJudgeState.Metrics"/>.</summary>
    public IReadOnlyList<double?> Canary { get; init; } = [];

    /// <summary>Gets the comparison workload's value of each metric, in the order of <see cref="KayentaJudgeState.Metrics"/>.</summary>
    public IReadOnlyList<double?> Comparison { get; init; } = [];
}
