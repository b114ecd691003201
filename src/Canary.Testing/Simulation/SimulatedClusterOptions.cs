namespace Canary.Testing.Simulation;

/// <summary>How the workloads of a <see cref="SimulatedCluster"/> behave.</summary>
public sealed record SimulatedClusterOptions
{
    /// <summary>Gets the replicas of the primary, and of the canary while it runs.</summary>
    /// <value>The default value is 2.</value>
    public int Replicas { get; init; } = 2;

    /// <summary>Gets how long a scaled-up canary takes to become ready.</summary>
    public TimeSpan CanaryReadyDelay { get; init; }

    /// <summary>Gets how long a scaled-up baseline takes to become ready; <see langword="null"/> takes as long as the canary.</summary>
    public TimeSpan? BaselineReadyDelay { get; init; }

    /// <summary>Gets how long the primary takes to roll out a new template.</summary>
    public TimeSpan PrimaryReadyDelay { get; init; }

    /// <summary>Gets a value indicating whether canaries never become ready (a crash-looping image).</summary>
    public bool CanaryNeverReady { get; init; }
}
