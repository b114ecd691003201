using Canary.Kubernetes.Client;
using Canary.Model;
using Canary.Routing;

namespace Canary.Kubernetes.Routing.Smi;

/// <summary>
/// Routes Linkerd traffic: through an SMI <c>TrafficSplit</c> where the cluster serves one (Linkerd 2.12 and later need the
/// linkerd-smi extension for it), as <see cref="SmiRouter"/> does; otherwise through an HTTPRoute (<c>gateway.networking.k8s.io</c>,
/// else <c>policy.linkerd.io</c>) whose parent is the apex Service, which Linkerd 2.14 and later apply to meshed clients. On the
/// HTTPRoute, A/B matches work and weights count only once Linkerd accepts the route, as with the Gateway API router.
/// </summary>
public sealed class LinkerdRouter : ITrafficRouter
{
    private readonly SmiRouting _routing;

    /// <summary>Initializes a new instance of the <see cref="LinkerdRouter"/> class.</summary>
    /// <param name="api">The Kubernetes API.</param>
    public LinkerdRouter(IKubernetesApi api)
    {
        ArgumentNullException.ThrowIfNull(api);
        _routing = new SmiRouting(api, TrafficProviders.Linkerd, httpRouteFallback: true);
    }

    /// <inheritdoc />
    public string Provider => TrafficProviders.Linkerd;

    /// <inheritdoc />
    /// <exception cref="TrafficRouterException">The cluster serves neither a TrafficSplit nor an HTTPRoute API.</exception>
    public async ValueTask ReconcileAsync(CanaryResource canary, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(canary);
        await _routing.ReconcileAsync(canary, cancellationToken);
    }

    /// <inheritdoc />
    /// <exception cref="TrafficRouterException">Transient: an HTTPRoute's current generation is not accepted yet.</exception>
    public async ValueTask<TrafficRoutes> GetRoutesAsync(CanaryResource canary, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(canary);
        return await _routing.GetRoutesAsync(canary, cancellationToken);
    }

    /// <inheritdoc />
    /// <exception cref="TrafficRouterException">Transient: an HTTPRoute's new generation is not accepted yet.</exception>
    public async ValueTask<TrafficRoutes> SetRoutesAsync(CanaryResource canary, TrafficRoutes routes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(canary);
        return await _routing.SetRoutesAsync(canary, routes, cancellationToken);
    }
}
