namespace Canary.Benchmarks.Detection;

/// <summary>What the rollouts of one scenario under one policy came to.</summary>
internal sealed record DetectionStats(DetectionScenario Scenario, DetectionPolicy Policy, IReadOnlyList<RolloutOutcome> Outcomes)
{
    public double RolledBackShare => Outcomes.Count(o => o.RolledBack) / (double)Outcomes.Count;

    public double PromotedShare => Outcomes.Count(o => o.Promoted) / (double)Outcomes.Count;

    /// <summary>Gets the requests the canary served in the rollouts that were rolled back.</summary>
    public IReadOnlyList<double> RequestsBeforeRollback => [.. Outcomes.Where(o => o.RolledBack).Select(o => (double)o.CanaryRequests)];

    /// <summary>Gets the minutes to promotion of the rollouts that were promoted.</summary>
    public IReadOnlyList<double> MinutesToPromote => [.. Outcomes.Where(o => o.Promoted).Select(o => o.Duration.TotalMinutes)];

    public static double Mean(IReadOnlyList<double> values) => values.Count == 0 ? double.NaN : values.Average();

    public static double Median(IReadOnlyList<double> values)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        var sorted = values.Order().ToArray();
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
