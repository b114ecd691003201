namespace Canary.Analysis;

/// <summary>What one workload served in a window: its requests, its failed requests and how long they took.</summary>
/// <param name="Requests">The requests served in the window.</param>
/// <param name="Errors">The requests that failed (5xx) in the window.</param>
public sealed record TrafficCounts(long Requests, long Errors)
{
    /// <summary>Gets counts with no requests.</summary>
    public static TrafficCounts Empty { get; } = new(0, 0);

    /// <summary>
    /// Gets the window's latency histogram: cumulative buckets in increasing order of their bounds, the last one
    /// <see cref="double.PositiveInfinity"/>; empty when the provider has no latencies, which leaves the latency tests
    /// without evidence.
    /// </summary>
    public IReadOnlyList<LatencyBucket> LatencyBuckets { get; init; } = [];
}
