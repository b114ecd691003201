using System.Text.Json.Nodes;
using Canary.Kubernetes.Client;
using Canary.Model;
using Canary.Routing;

namespace Canary.Kubernetes.Routing.GatewayApi;

/// <summary>
/// Routes through a Gateway API HTTPRoute named after the apex Service: attached to <c>spec.service.gatewayRefs</c>, for
/// <c>spec.service.hosts</c>, with one weighted rule over <c>svc-primary</c> and <c>svc-canary</c> (an A/B test puts its matches
/// on that rule and sends every other request to the primary by a second rule), and a RequestMirror filter to shadow traffic.
/// <c>gatewayapi:v1</c> and <c>gatewayapi:v1beta1</c> pin the version; plain <c>gatewayapi</c> asks the cluster, preferring v1.
/// </summary>
/// <remarks>
/// A weight counts only once the gateways accept it: <see cref="SetRoutesAsync"/> and <see cref="GetRoutesAsync"/> throw a
/// transient <see cref="TrafficRouterException"/> (marked through <c>TransientFailures.DataKey</c>) until every parent in the route's
/// status has an <c>Accepted</c> condition that is True for the route's current generation, so the engine retries the same step
/// instead of advancing. A repeated <see cref="SetRoutesAsync"/> writes nothing and only checks acceptance again.
/// </remarks>
public sealed class GatewayApiRouter : ITrafficRouter
{
    /// <summary>The Gateway API group.</summary>
    public const string Group = "gateway.networking.k8s.io";

    private static readonly string[] Versions = ["v1", "v1beta1"];

    private readonly ApiVersionResolver _resolver;
    private readonly HttpRouteRouting _routing;

    /// <summary>Initializes a new instance of the <see cref="GatewayApiRouter"/> class.</summary>
    /// <param name="api">The Kubernetes API.</param>
    public GatewayApiRouter(IKubernetesApi api)
    {
        ArgumentNullException.ThrowIfNull(api);
        _resolver = new ApiVersionResolver(api);
        _routing = new HttpRouteRouting(api);
    }

    /// <inheritdoc />
    public string Provider => TrafficProviders.GatewayApi;

    /// <inheritdoc />
    /// <exception cref="TrafficRouterException"><c>spec.service.gatewayRefs</c> is empty, or the cluster serves no HTTPRoute API.</exception>
    public async ValueTask ReconcileAsync(CanaryResource canary, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(canary);
        var parents = ParentRefs(canary);
        var routes = await ResolveAsync(canary, cancellationToken);
        await _routing.ReconcileAsync(routes, canary, parents, withHostnames: true, cancellationToken);
    }

    /// <inheritdoc />
    /// <exception cref="TrafficRouterException">Transient: the route's current generation is not accepted yet.</exception>
    public async ValueTask<TrafficRoutes> GetRoutesAsync(CanaryResource canary, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(canary);
        return await _routing.GetRoutesAsync(await ResolveAsync(canary, cancellationToken), canary, cancellationToken);
    }

    /// <inheritdoc />
    /// <exception cref="TrafficRouterException">Transient: the route's new generation is not accepted yet.</exception>
    public async ValueTask<TrafficRoutes> SetRoutesAsync(CanaryResource canary, TrafficRoutes routes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(canary);
        var weight = RouteWeights.CanaryWeight(routes);
        var parents = ParentRefs(canary);
        var type = await ResolveAsync(canary, cancellationToken);
        return await _routing.SetRoutesAsync(
            type, canary, parents, withHostnames: true, TrafficRoutes.ForCanary(weight) with { Mirrored = routes.Mirrored }, cancellationToken);
    }

    internal static ResourceType HttpRoutes(string version) => new(Group, version, "httproutes", true, "HTTPRoute");

    private static JsonArray ParentRefs(CanaryResource canary)
    {
        var gateways = canary.Spec.Service.GatewayRefs;
        if (gateways.Count == 0)
        {
            throw new TrafficRouterException($"spec.service.gatewayRefs: is required by provider \"{TrafficProviders.GatewayApi}\"");
        }

        var parents = new JsonArray();
        foreach (var gateway in gateways)
        {
            var parent = new JsonObject { ["group"] = Group, ["kind"] = "Gateway", ["name"] = gateway.Name };
            if (!string.IsNullOrEmpty(gateway.Namespace))
            {
                parent["namespace"] = gateway.Namespace;
            }

            parents.Add(parent);
        }

        return parents;
    }

    private async Task<ResourceType> ResolveAsync(CanaryResource canary, CancellationToken cancellationToken)
    {
        if (ProviderVersion.Pinned(canary, Versions) is { } pinned)
        {
            return HttpRoutes(pinned);
        }

        return await _resolver.ResolveAsync([.. Versions.Select(HttpRoutes)], canary.Id.Namespace, cancellationToken)
            ?? throw new TrafficRouterException(
                $"provider \"{TrafficProviders.GatewayApi}\": the cluster serves no HTTPRoute API ({Group}/v1 or {Group}/v1beta1); install the Gateway API CRDs");
    }
}
