namespace Canary.Routing;

/// <summary>The split of traffic between the primary and the canary, in percent.</summary>
/// <param name="PrimaryWeight">The primary's share.</param>
/// <param name="CanaryWeight">The canary's share.</param>
/// <param name="Mirrored">Whether the primary's traffic is also mirrored to the canary.</param>
public readonly record struct TrafficRoutes(int PrimaryWeight, int CanaryWeight, bool Mirrored = false)
{
    /// <summary>Gets the routes that send everything to the primary.</summary>
    public static TrafficRoutes PrimaryOnly => new(100, 0);

    /// <summary>Gets the routes that send everything (or, for an A/B test, everything that matches) to the canary.</summary>
    public static TrafficRoutes CanaryOnly => new(0, 100);

    /// <summary>Returns the routes that give the canary <paramref name="canaryWeight"/> percent.</summary>
    /// <param name="canaryWeight">The canary's share, 0 to 100.</param>
    /// <returns>The routes.</returns>
    public static TrafficRoutes ForCanary(int canaryWeight) => new(100 - canaryWeight, canaryWeight);
}
