using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Canary.Kubernetes.Client;
using Canary.Kubernetes.Routing.GatewayApi;
using Canary.Model;
using Canary.Routing;

namespace Canary.Kubernetes.Routing.Smi;

/// <summary>
/// The routing shared by the <c>smi</c> and <c>linkerd</c> providers: an SMI TrafficSplit named after the apex Service, in the newest
/// version the cluster serves (or the one a provider suffix pins); for Linkerd on a cluster without SMI, an HTTPRoute whose parent is
/// the apex Service.
/// </summary>
internal sealed class SmiRouting
{
    public const string SplitGroup = "split.smi-spec.io";
    public const string LinkerdPolicyGroup = "policy.linkerd.io";

    private static readonly string[] SplitVersions = ["v1alpha4", "v1alpha3", "v1alpha2", "v1alpha1"];

    private static readonly ResourceType[] LinkerdRoutes =
    [
        GatewayApiRouter.HttpRoutes("v1"),
        GatewayApiRouter.HttpRoutes("v1beta1"),
        new(LinkerdPolicyGroup, "v1beta3", "httproutes", true, "HTTPRoute"),
        new(LinkerdPolicyGroup, "v1beta2", "httproutes", true, "HTTPRoute"),
    ];

    private readonly IKubernetesApi _api;
    private readonly string _provider;
    private readonly bool _httpRouteFallback;
    private readonly ApiVersionResolver _resolver;
    private readonly HttpRouteRouting _routes;

    public SmiRouting(IKubernetesApi api, string provider, bool httpRouteFallback)
    {
        _api = api;
        _provider = provider;
        _httpRouteFallback = httpRouteFallback;
        _resolver = new ApiVersionResolver(api);
        _routes = new HttpRouteRouting(api);
    }

    public static ResourceType TrafficSplits(string version) => new(SplitGroup, version, "trafficsplits", true, "TrafficSplit");

    public async Task ReconcileAsync(CanaryResource canary, CancellationToken cancellationToken)
    {
        var target = await ResolveAsync(canary, cancellationToken);
        if (target.Kind == "HTTPRoute")
        {
            await _routes.ReconcileAsync(target, canary, ServiceParent(target, canary), withHostnames: false, cancellationToken);
            return;
        }

        RefuseMatches(canary);
        var names = new CanaryNames(canary);
        var current = await _api.TryGetAsync(target, names.Namespace, names.Apex, cancellationToken);
        await WriteSplitAsync(target, current, canary, current is null ? TrafficRoutes.PrimaryOnly : ReadSplit(current, names), cancellationToken);
    }

    public async Task<TrafficRoutes> GetRoutesAsync(CanaryResource canary, CancellationToken cancellationToken)
    {
        var target = await ResolveAsync(canary, cancellationToken);
        if (target.Kind == "HTTPRoute")
        {
            return await _routes.GetRoutesAsync(target, canary, cancellationToken);
        }

        var names = new CanaryNames(canary);
        var current = await _api.TryGetAsync(target, names.Namespace, names.Apex, cancellationToken);
        return current is null ? TrafficRoutes.PrimaryOnly : ReadSplit(current, names);
    }

    /// <summary>Applies the weights; neither a TrafficSplit nor Linkerd's HTTPRoute mirrors, so the result never reports mirroring.</summary>
    public async Task<TrafficRoutes> SetRoutesAsync(CanaryResource canary, TrafficRoutes routes, CancellationToken cancellationToken)
    {
        var wanted = TrafficRoutes.ForCanary(RouteWeights.CanaryWeight(routes));
        var target = await ResolveAsync(canary, cancellationToken);
        if (target.Kind == "HTTPRoute")
        {
            return await _routes.SetRoutesAsync(target, canary, ServiceParent(target, canary), withHostnames: false, wanted, cancellationToken);
        }

        RefuseMatches(canary);
        var names = new CanaryNames(canary);
        var current = await _api.TryGetAsync(target, names.Namespace, names.Apex, cancellationToken);
        await WriteSplitAsync(target, current, canary, wanted, cancellationToken);
        return wanted;
    }

    /// <summary>Reads a split's backends; weights are relative, and v1alpha1 writes them as quantities (<c>500m</c>).</summary>
    private static TrafficRoutes ReadSplit(JsonObject split, CanaryNames names)
    {
        double primary = 0;
        double canary = 0;
        foreach (var backend in (JsonPath.Array(split, "spec", "backends") ?? []).OfType<JsonObject>())
        {
            var weight = Weight(backend, KubernetesObject.GetName(split) ?? names.Apex);
            var service = JsonPath.String(backend, "service");
            if (service == names.PrimaryService)
            {
                primary += weight;
            }
            else if (service == names.CanaryService)
            {
                canary += weight;
            }
        }

        return RouteWeights.FromRelative(primary, canary);
    }

    private static double Weight(JsonObject backend, string split)
    {
        var node = backend["weight"];
        if (node is null)
        {
            return 0;
        }

        if (node is JsonValue value && value.GetValueKind() == JsonValueKind.Number && value.TryGetValue<double>(out var number))
        {
            return number;
        }

        if (node is JsonValue text && text.GetValueKind() == JsonValueKind.String && Quantity.TryParse(text.GetValue<string>(), out var quantity))
        {
            return quantity;
        }

        if (JsonPath.Integer(backend, "weight") is { } whole)
        {
            return whole;
        }

        throw new TrafficRouterException($"TrafficSplit \"{split}\": backend \"{JsonPath.String(backend, "service")}\" has an unreadable weight {node.ToJsonString()}");
    }

    private static JsonValue WeightValue(ResourceType split, int weight) =>
        split.Version == "v1alpha1"
            ? JsonValue.Create(weight.ToString(CultureInfo.InvariantCulture))
            : JsonValue.Create(weight);

    /// <summary>
    /// Returns the apex Service as the route's parent: core Services are group <c>""</c> in Gateway API and <c>core</c> in
    /// Linkerd's policy API.
    /// </summary>
    private static JsonArray ServiceParent(ResourceType routes, CanaryResource canary) =>
        new(new JsonObject
        {
            ["group"] = routes.Group == LinkerdPolicyGroup ? "core" : string.Empty,
            ["kind"] = "Service",
            ["name"] = new CanaryNames(canary).Apex,
            ["port"] = canary.Spec.Service.Port,
        });

    private void RefuseMatches(CanaryResource canary)
    {
        if (canary.Spec.Analysis.Match.Count > 0)
        {
            throw new TrafficRouterException($"spec.analysis.match: A/B testing is not supported by provider \"{_provider}\" with an SMI TrafficSplit");
        }
    }

    private async Task WriteSplitAsync(ResourceType split, JsonObject? current, CanaryResource canary, TrafficRoutes routes, CancellationToken cancellationToken)
    {
        var names = new CanaryNames(canary);
        var spec = new JsonObject
        {
            ["service"] = names.Apex,
            ["backends"] = new JsonArray(
                new JsonObject { ["service"] = names.CanaryService, ["weight"] = WeightValue(split, routes.CanaryWeight) },
                new JsonObject { ["service"] = names.PrimaryService, ["weight"] = WeightValue(split, routes.PrimaryWeight) }),
        };
        var owner = current is null ? await ManagedObjects.OwnerReferenceAsync(_api, names, cancellationToken) : null;
        var desired = ManagedObjects.New(split, names.Namespace, names.Apex, owner, spec);
        await ManagedObjects.CreateOrPatchAsync(_api, split, current, desired, OwnedFields.Spec("service", "backends"), cancellationToken);
    }

    private async Task<ResourceType> ResolveAsync(CanaryResource canary, CancellationToken cancellationToken)
    {
        if (ProviderVersion.Pinned(canary, SplitVersions) is { } pinned)
        {
            return TrafficSplits(pinned);
        }

        var namespaceName = canary.Id.Namespace;
        if (await _resolver.ResolveAsync([.. SplitVersions.Select(TrafficSplits)], namespaceName, cancellationToken) is { } split)
        {
            return split;
        }

        if (_httpRouteFallback && await _resolver.ResolveAsync(LinkerdRoutes, namespaceName, cancellationToken) is { } routes)
        {
            return routes;
        }

        throw new TrafficRouterException(
            $"provider \"{_provider}\": the cluster serves no TrafficSplit API ({SplitGroup} v1alpha1 to v1alpha4)" +
            (_httpRouteFallback ? " and no HTTPRoute API (gateway.networking.k8s.io or policy.linkerd.io)" : string.Empty) +
            "; install the SMI CRDs" + (_httpRouteFallback ? " (linkerd-smi) or the Gateway API CRDs" : string.Empty));
    }
}
