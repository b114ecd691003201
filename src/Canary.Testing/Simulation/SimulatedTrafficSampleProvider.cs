using Canary.Analysis;
using Canary.Model;
using Canary.Workloads;

namespace Canary.Testing.Simulation;

/// <summary>
/// Counts what the workloads of a <see cref="SimulatedTraffic"/> served, for the sequential judge: requests, 5xx
/// answers and the latency histogram, over the window that ends now.
/// </summary>
/// <param name="traffic">The traffic to count.</param>
public sealed class SimulatedTrafficSampleProvider(SimulatedTraffic traffic) : ITrafficSampleProvider
{
    /// <inheritdoc />
    public ValueTask<TrafficCounts> GetCountsAsync(CanaryResource canary, WorkloadRole role, TimeSpan window, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(canary);
        var sample = traffic.Window(canary.Id, role, window);
        return ValueTask.FromResult(new TrafficCounts(sample.Requests, sample.Errors) { LatencyBuckets = sample.Latency.ToBuckets() });
    }
}
