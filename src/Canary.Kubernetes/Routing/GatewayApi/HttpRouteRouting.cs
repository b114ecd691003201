using System.Text.Json.Nodes;
using Canary.Kubernetes.Client;
using Canary.Model;
using Canary.Routing;

namespace Canary.Kubernetes.Routing.GatewayApi;

/// <summary>
/// Keeps the HTTPRoute <c>svc</c> (and <c>svc-preview</c> for a preview host) as wanted, for the Gateway API router (parents are
/// Gateways) and for Linkerd (the parent is the apex Service). Weights count only once the route's parents accept them.
/// </summary>
internal sealed class HttpRouteRouting(IKubernetesApi api)
{
    private static readonly OwnedFields Owned = OwnedFields.Spec("parentRefs", "hostnames", "rules");

    /// <summary>Creates the route, or brings its parents, hostnames and rules up to date at its current weights.</summary>
    public async Task ReconcileAsync(ResourceType routes, CanaryResource canary, JsonArray parentRefs, bool withHostnames, CancellationToken cancellationToken)
    {
        var names = new CanaryNames(canary);
        var current = await api.TryGetAsync(routes, names.Namespace, names.Apex, cancellationToken);
        var weights = current is null ? TrafficRoutes.PrimaryOnly : HttpRouteSpec.Read(current, names);
        await WriteAsync(routes, current, canary, parentRefs, withHostnames, weights, cancellationToken);
        if (withHostnames)
        {
            await ReconcilePreviewAsync(routes, canary, parentRefs, cancellationToken);
        }
    }

    /// <summary>Reads the weights in effect.</summary>
    /// <exception cref="TrafficRouterException">Transient: the route's current generation is not accepted yet.</exception>
    public async Task<TrafficRoutes> GetRoutesAsync(ResourceType routes, CanaryResource canary, CancellationToken cancellationToken)
    {
        var names = new CanaryNames(canary);
        var current = await api.TryGetAsync(routes, names.Namespace, names.Apex, cancellationToken);
        if (current is null)
        {
            return TrafficRoutes.PrimaryOnly;
        }

        ThrowIfPending(current, routes, names);
        return HttpRouteSpec.Read(current, names);
    }

    /// <summary>Writes the weights when they differ, then reports them once the route's parents accept them.</summary>
    /// <exception cref="TrafficRouterException">Transient: the route's current generation is not accepted yet.</exception>
    public async Task<TrafficRoutes> SetRoutesAsync(
        ResourceType routes, CanaryResource canary, JsonArray parentRefs, bool withHostnames, TrafficRoutes wanted, CancellationToken cancellationToken)
    {
        var names = new CanaryNames(canary);
        var current = await api.TryGetAsync(routes, names.Namespace, names.Apex, cancellationToken);
        var stored = await WriteAsync(routes, current, canary, parentRefs, withHostnames, wanted, cancellationToken);
        ThrowIfPending(stored, routes, names);
        return wanted;
    }

    private static void ThrowIfPending(JsonObject route, ResourceType routes, CanaryNames names)
    {
        if (HttpRouteSpec.PendingReason(route) is { } reason)
        {
            throw TrafficRouterException.Transient(
                $"{routes.Kind} \"{names.Apex}\" ({routes.ApiVersion}) in namespace \"{names.Namespace}\" is not in effect yet: {reason}");
        }
    }

    private async Task<JsonObject> WriteAsync(
        ResourceType routes,
        JsonObject? current,
        CanaryResource canary,
        JsonArray parentRefs,
        bool withHostnames,
        TrafficRoutes weights,
        CancellationToken cancellationToken)
    {
        var names = new CanaryNames(canary);
        var spec = new JsonObject { ["parentRefs"] = parentRefs.DeepClone() };
        if (withHostnames && canary.Spec.Service.Hosts.Count > 0)
        {
            spec["hostnames"] = new JsonArray([.. canary.Spec.Service.Hosts.Select(h => JsonValue.Create(h))]);
        }

        spec["rules"] = HttpRouteSpec.Rules(canary, weights);
        var owner = current is null ? await ManagedObjects.OwnerReferenceAsync(api, names, cancellationToken) : null;
        var desired = ManagedObjects.New(routes, names.Namespace, names.Apex, owner, spec);
        return await ManagedObjects.CreateOrPatchAsync(api, routes, current, desired, Owned, cancellationToken);
    }

    private async Task ReconcilePreviewAsync(ResourceType routes, CanaryResource canary, JsonArray parentRefs, CancellationToken cancellationToken)
    {
        var names = new CanaryNames(canary);
        if (string.IsNullOrWhiteSpace(canary.Spec.Service.PreviewHost))
        {
            await ManagedObjects.DeleteIfManagedAsync(api, routes, names.Namespace, names.PreviewService, cancellationToken);
            return;
        }

        var current = await api.TryGetAsync(routes, names.Namespace, names.PreviewService, cancellationToken);
        var owner = current is null ? await ManagedObjects.OwnerReferenceAsync(api, names, cancellationToken) : null;
        var spec = new JsonObject
        {
            ["parentRefs"] = parentRefs.DeepClone(),
            ["hostnames"] = new JsonArray(JsonValue.Create(canary.Spec.Service.PreviewHost)),
            ["rules"] = HttpRouteSpec.SingleBackend(canary, names.CanaryService),
        };
        var desired = ManagedObjects.New(routes, names.Namespace, names.PreviewService, owner, spec);
        await ManagedObjects.CreateOrPatchAsync(api, routes, current, desired, Owned, cancellationToken);
    }
}
