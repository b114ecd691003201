namespace Canary.Model;

/// <summary>
/// The samples of one slice of a Kayenta judge's run: the time between two looks (or a look and a step), one value per
/// metric and workload. A value is <see langword="null"/> when that workload served too few requests in the slice.
/// </summary>
public sealed record KayentaSlice
{
    /// <summary>Gets when the slice ended.</summary>
    public DateTimeOffset Until { get; init; }

    /// <summary>Gets the analysis interval the slice belongs to: the number of judgements made before it, so that the first interval is 0.</summary>
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
