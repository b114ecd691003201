using Canary.Model;

namespace Canary.Routing;

/// <summary>
/// Moves traffic between the primary and the canary: an ingress, a mesh, or the replica ratio behind one Service.
/// Every call sets an absolute state, so repeating it after a crash does no harm.
/// </summary>
public interface ITrafficRouter
{
    /// <summary>Gets the provider this router serves (see <see cref="TrafficProviders"/>), or <c>*</c> for any provider.</summary>
    string Provider { get; }

    /// <summary>Creates or updates the routing objects the canary needs, leaving the current weights as they are.</summary>
    /// <param name="canary">The canary.</param>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <returns>A task that completes when the objects exist.</returns>
    ValueTask ReconcileAsync(CanaryResource canary, CancellationToken cancellationToken);

    /// <summary>Reads the weights the router currently applies.</summary>
    /// <param name="canary">The canary.</param>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <returns>The current routes.</returns>
    ValueTask<TrafficRoutes> GetRoutesAsync(CanaryResource canary, CancellationToken cancellationToken);

    /// <summary>Applies the requested weights and reports those the router really achieved, which never give the canary more than requested.</summary>
    /// <param name="canary">The canary.</param>
    /// <param name="routes">The requested weights.</param>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <returns>The weights in effect.</returns>
    ValueTask<TrafficRoutes> SetRoutesAsync(CanaryResource canary, TrafficRoutes routes, CancellationToken cancellationToken);
}
