namespace Canary.Kubernetes.Routing.LabelRatio;

/// <summary>
/// Replica counts that give the canary a share of the traffic behind one Service that selects every ready pod alike: the canary's
/// share is its replicas over all replicas. The share is rounded down, so a split never gives the canary more than requested.
/// </summary>
/// <param name="Primary">The primary's replicas.</param>
/// <param name="Canary">The canary's replicas.</param>
/// <param name="Baseline">The baseline's replicas (the stable version at the canary's scale, for comparison), 0 without one.</param>
public readonly record struct ReplicaSplit(int Primary, int Canary, int Baseline = 0)
{
    /// <summary>Gets the replicas behind the Service.</summary>
    public int Total => Primary + Canary + Baseline;

    /// <summary>Gets the canary's share of the traffic in whole percent, rounded down; 0 when there are no replicas.</summary>
    public int CanaryWeight => Total == 0 ? 0 : (int)((long)Canary * 100 / Total);

    /// <summary>
    /// Splits <paramref name="total"/> replicas (the primary's scale before the run) between primary and canary: the canary gets
    /// ⌊total·weight/100⌋, the primary the rest, so the capacity stays the same and 1 of 10 replicas is 10%.
    /// </summary>
    /// <param name="total">The replicas to share, at least 1.</param>
    /// <param name="weight">The requested canary weight, 0 to 100.</param>
    /// <returns>The split; its <see cref="CanaryWeight"/> never exceeds <paramref name="weight"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="total"/> is below 1, or <paramref name="weight"/> is outside 0 to 100.</exception>
    public static ReplicaSplit ForWeight(int total, int weight)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(total, 1);
        CheckWeight(weight);
        var canary = (int)((long)total * weight / 100);
        return new ReplicaSplit(total - canary, canary);
    }

    /// <summary>
    /// Splits for a run with a baseline, as Azure Pipelines' pod canaries do: the primary keeps its <paramref name="stable"/>
    /// replicas, and the canary and the baseline get c each, so the canary's share is c/(stable+2c). c is the largest count whose
    /// share does not exceed the weight, capped at <paramref name="stable"/> (a share of one third), since the share can never
    /// reach one half.
    /// </summary>
    /// <param name="stable">The primary's replicas, at least 1.</param>
    /// <param name="weight">The requested canary weight, 0 to 100.</param>
    /// <returns>The split; its <see cref="CanaryWeight"/> never exceeds <paramref name="weight"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="stable"/> is below 1, or <paramref name="weight"/> is outside 0 to 100.</exception>
    public static ReplicaSplit ForWeightWithBaseline(int stable, int weight)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(stable, 1);
        CheckWeight(weight);

        // c/(N+2c) <= w/100  <=>  c(100-2w) <= wN, which bounds c only below one half.
        var canary = weight >= 50 ? stable : (int)Math.Min(stable, (long)stable * weight / (100 - (2 * weight)));
        return new ReplicaSplit(stable, canary, canary);
    }

    private static void CheckWeight(int weight)
    {
        if (weight is < 0 or > 100)
        {
            throw new ArgumentOutOfRangeException(nameof(weight), weight, "The weight must be between 0 and 100.");
        }
    }
}
