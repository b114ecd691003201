using Canary.Model;
using Canary.Workloads;

namespace Canary.Analysis;

/// <summary>
/// Counts what a canary's workloads served, for the statistical judge (<c>analysis.judge</c>): unlike
/// <see cref="IMetricProvider"/>, which answers one number per check, it returns the raw counts that evidence is built
/// from. The simulation implements it; a Prometheus implementation reads the routers' request counters and duration
/// histograms (<c>increase(…_bucket[window])</c>).
/// </summary>
public interface ITrafficSampleProvider
{
    /// <summary>Counts the requests one workload served in the window that ends now.</summary>
    /// <param name="canary">The canary.</param>
    /// <param name="role">The workload: the canary, or the one it is compared with (the baseline, or the primary).</param>
    /// <param name="window">How far back from now to count.</param>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <returns>The counts; a workload that served nothing has zero requests.</returns>
    ValueTask<TrafficCounts> GetCountsAsync(CanaryResource canary, WorkloadRole role, TimeSpan window, CancellationToken cancellationToken);
}
