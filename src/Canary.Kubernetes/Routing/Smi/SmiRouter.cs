using Canary.Kubernetes.Client;
using Canary.Model;
using Canary.Routing;

namespace Canary.Kubernetes.Routing.Smi;

/// <summary>
/// Routes through an SMI <c>TrafficSplit</c> named after the apex Service, with backends <c>svc-canary</c> and <c>svc-primary</c>:
/// weights as quantity strings in <c>v1alpha1</c> (<c>"10"</c>), as integers from <c>v1alpha2</c> on. <c>smi:v1alpha1</c> to
/// <c>smi:v1alpha4</c> pin the version; plain <c>smi</c> takes the newest the cluster serves. SMI splits by weight only: A/B matches
/// are refused and mirroring is never reported.
/// </summary>
public sealed class SmiRouter : ITrafficRouter
{
    private readonly SmiRouting _routing;

    /// <summary>Initializes a new instance of the <see cref="SmiRouter"/> class.</summary>
    /// <param name="api">The Kubernetes API.</param>
    public SmiRouter(IKubernetesApi api)
    {
        ArgumentNullException.ThrowIfNull(api);
        _routing = new SmiRouting(api, TrafficProviders.Smi, httpRouteFallback: false);
    }

    /// <inheritdoc />
    public string Provider => TrafficProviders.Smi;

    /// <inheritdoc />
    /// <exception cref="TrafficRouterException">The cluster serves no TrafficSplit API, or the spec has A/B matches.</exception>
    public async ValueTask ReconcileAsync(CanaryResource canary, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(canary);
        await _routing.ReconcileAsync(canary, cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask<TrafficRoutes> GetRoutesAsync(CanaryResource canary, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(canary);
        return await _routing.GetRoutesAsync(canary, cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask<TrafficRoutes> SetRoutesAsync(CanaryResource canary, TrafficRoutes routes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(canary);
        return await _routing.SetRoutesAsync(canary, routes, cancellationToken);
    }
}
