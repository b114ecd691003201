namespace Canary.Testing.Simulation;

/// <summary>How a simulated version answers requests.</summary>
/// <param name="ErrorRate">The fraction of requests answered with 5xx, between 0 and 1.</param>
/// <param name="Latency">The median request duration.</param>
public sealed record WorkloadBehavior(double ErrorRate, TimeSpan Latency)
{
    /// <summary>Gets a healthy version: no errors, 50 ms.</summary>
    public static WorkloadBehavior Healthy { get; } = new(0, TimeSpan.FromMilliseconds(50));
}
