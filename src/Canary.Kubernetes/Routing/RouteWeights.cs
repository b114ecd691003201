using Canary.Routing;

namespace Canary.Kubernetes.Routing;

/// <summary>Checks requested routes and computes shares from the relative weights that routing objects hold.</summary>
internal static class RouteWeights
{
    /// <summary>Returns the requested canary weight; the primary gets the rest, whatever the request's primary weight says.</summary>
    public static int CanaryWeight(TrafficRoutes routes)
    {
        if (routes.CanaryWeight is < 0 or > 100)
        {
            throw new ArgumentOutOfRangeException(nameof(routes), routes.CanaryWeight, "The canary weight must be between 0 and 100.");
        }

        return routes.CanaryWeight;
    }

    /// <summary>Returns the canary's share in whole percent, rounded down, of two relative weights; no weight at all is no share.</summary>
    public static TrafficRoutes FromRelative(double primary, double canary, bool mirrored = false)
    {
        primary = Math.Max(0, primary);
        canary = Math.Max(0, canary);
        var total = primary + canary;
        var share = total <= 0 ? 0 : (int)Math.Floor(canary * 100 / total + 1e-9);
        return TrafficRoutes.ForCanary(Math.Clamp(share, 0, 100)) with { Mirrored = mirrored };
    }
}
