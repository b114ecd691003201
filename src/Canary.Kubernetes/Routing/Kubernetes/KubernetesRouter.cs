using Canary.Kubernetes.Client;
using Canary.Model;
using Canary.Routing;

namespace Canary.Kubernetes.Routing.Kubernetes;

/// <summary>
/// Flagger's <c>kubernetes</c> provider: no traffic split. The apex Service always selects the primary's pods (its Deployment's
/// <c>matchLabels</c>); the canary is reached only through <c>svc-canary</c>, for load tests, and takes over by promotion. Every
/// <see cref="SetRoutesAsync"/> therefore reports all traffic on the primary, whatever was asked.
/// </summary>
public sealed class KubernetesRouter : ITrafficRouter
{
    private readonly IKubernetesApi _api;

    /// <summary>Initializes a new instance of the <see cref="KubernetesRouter"/> class.</summary>
    /// <param name="api">The Kubernetes API.</param>
    public KubernetesRouter(IKubernetesApi api)
    {
        ArgumentNullException.ThrowIfNull(api);
        _api = api;
    }

    /// <inheritdoc />
    public string Provider => TrafficProviders.Kubernetes;

    /// <inheritdoc />
    /// <remarks>
    /// Creates the apex Service once the primary exists. An existing apex Service is repointed only by <see cref="SetRoutesAsync"/>,
    /// which the engine calls once the primary is ready, so that a Service already serving users never selects pods that are not up.
    /// </remarks>
    public async ValueTask ReconcileAsync(CanaryResource canary, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(canary);
        var names = new CanaryNames(canary);
        if (await ApexService.GetAsync(_api, names, cancellationToken) is not null)
        {
            return;
        }

        var primary = await _api.TryGetAsync(ResourceType.Deployments, names.Namespace, names.PrimaryDeployment, cancellationToken);
        if (primary is not null)
        {
            await ApexService.CreateAsync(_api, canary, PrimarySelector(primary, names), cancellationToken);
        }
    }

    /// <inheritdoc />
    public ValueTask<TrafficRoutes> GetRoutesAsync(CanaryResource canary, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(canary);
        return ValueTask.FromResult(TrafficRoutes.PrimaryOnly);
    }

    /// <inheritdoc />
    /// <exception cref="TrafficRouterException">Transient: the primary Deployment does not exist yet.</exception>
    public async ValueTask<TrafficRoutes> SetRoutesAsync(CanaryResource canary, TrafficRoutes routes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(canary);
        RouteWeights.CanaryWeight(routes);
        var names = new CanaryNames(canary);
        var primary = await _api.TryGetAsync(ResourceType.Deployments, names.Namespace, names.PrimaryDeployment, cancellationToken)
            ?? throw TrafficRouterException.Transient($"Deployment \"{names.PrimaryDeployment}\" in namespace \"{names.Namespace}\" does not exist yet");
        var selector = PrimarySelector(primary, names);
        if (await ApexService.GetAsync(_api, names, cancellationToken) is { } apex)
        {
            await ApexService.SelectAsync(_api, names, apex, selector, cancellationToken);
        }
        else
        {
            await ApexService.CreateAsync(_api, canary, selector, cancellationToken);
        }

        return TrafficRoutes.PrimaryOnly;
    }

    private static IReadOnlyDictionary<string, string> PrimarySelector(System.Text.Json.Nodes.JsonObject primary, CanaryNames names)
    {
        var selector = JsonPath.StringMap(primary, "spec", "selector", "matchLabels");
        return selector.Count > 0
            ? selector
            : throw new TrafficRouterException(
                $"Deployment \"{names.PrimaryDeployment}\" in namespace \"{names.Namespace}\" has no spec.selector.matchLabels for a Service to select");
    }
}
