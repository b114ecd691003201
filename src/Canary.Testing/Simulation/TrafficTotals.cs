namespace Canary.Testing.Simulation;

/// <summary>Every request a canary's workloads served during a simulation.</summary>
/// <param name="PrimaryRequests">Requests the primary served.</param>
/// <param name="PrimaryErrors">The primary's 5xx answers.</param>
/// <param name="CanaryRequests">Requests the canary served, including mirrored and load-test ones.</param>
/// <param name="CanaryErrors">The canary's 5xx answers.</param>
public readonly record struct TrafficTotals(long PrimaryRequests, long PrimaryErrors, long CanaryRequests, long CanaryErrors)
{
    /// <summary>Gets the requests the baseline served.</summary>
    public long BaselineRequests { get; init; }

    /// <summary>Gets the baseline's 5xx answers.</summary>
    public long BaselineErrors { get; init; }
}
