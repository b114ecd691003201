namespace Canary.Testing.Simulation;

/// <summary>The users and testers whose requests a <see cref="SimulatedTraffic"/> sends.</summary>
public sealed record SimulatedTrafficOptions
{
    /// <summary>Gets the users' requests per second, split between primary and canary by the routed weights.</summary>
    /// <value>The default value is 10.</value>
    public double RequestsPerSecond { get; init; } = 10;

    /// <summary>Gets the spread of request durations around a version's median (the sigma of a log-normal).</summary>
    /// <value>The default value is 0.25.</value>
    public double LatencyJitter { get; init; } = 0.25;

    /// <summary>Gets the share of users' requests that match an A/B test's header or cookie.</summary>
    /// <value>The default value is 0.1.</value>
    public double MatchingShare { get; init; } = 0.1;

    /// <summary>Gets the requests per second a load-test webhook sends straight to the canary's own Service.</summary>
    /// <value>The default value is 5.</value>
    public double LoadTestRequestsPerSecond { get; init; } = 5;

    /// <summary>Gets how long served requests are kept for metric windows; it must cover the longest metric interval.</summary>
    /// <value>The default value is 15 minutes.</value>
    public TimeSpan Retention { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>Gets the seed of the random draws; the same seed gives the same traffic.</summary>
    /// <value>The default value is 1.</value>
    public int Seed { get; init; } = 1;
}
