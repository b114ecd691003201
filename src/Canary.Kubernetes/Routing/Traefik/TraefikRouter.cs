using System.Globalization;
using System.Text.Json.Nodes;
using Canary.Kubernetes.Client;
using Canary.Model;
using Canary.Routing;
using Microsoft.Extensions.Options;

namespace Canary.Kubernetes.Routing.Traefik;

/// <summary>
/// Routes through a Traefik <c>TraefikService</c> named after the apex Service, which the user's IngressRoute targets: a weighted
/// round robin over <c>svc-primary</c> and <c>svc-canary</c> (the canary left out at weight 0), or, to shadow traffic, a mirroring
/// service that sends the primary's requests on to the canary. The API group (<c>traefik.io</c> or <c>traefik.containo.us</c>,
/// both <c>v1alpha1</c>) comes from the options or from the cluster.
/// </summary>
/// <remarks>
/// Traefik cannot match requests in a TraefikService, so A/B matches are refused; mirroring is applied only while the canary gets
/// no weighted traffic, since a TraefikService is either weighted or mirroring. A preview host gets an IngressRoute,
/// <c>svc-preview</c>, whose <c>routes</c> the router owns; entry points and TLS can be added to it by hand.
/// </remarks>
public sealed class TraefikRouter : ITrafficRouter
{
    private const string Version = "v1alpha1";

    private readonly IKubernetesApi _api;
    private readonly ApiVersionResolver _resolver;
    private readonly string? _group;

    /// <summary>Initializes a new instance of the <see cref="TraefikRouter"/> class.</summary>
    /// <param name="api">The Kubernetes API.</param>
    /// <param name="options">The API group, or <see langword="null"/> to ask the cluster.</param>
    /// <exception cref="ArgumentException">The API group is neither of Traefik's.</exception>
    public TraefikRouter(IKubernetesApi api, IOptions<TraefikRouterOptions>? options = null)
    {
        ArgumentNullException.ThrowIfNull(api);
        var group = options?.Value.ApiGroup;
        if (group is not (null or TraefikRouterOptions.TraefikIoGroup or TraefikRouterOptions.LegacyGroup))
        {
            throw new ArgumentException(
                $"TraefikRouterOptions.ApiGroup: must be {TraefikRouterOptions.TraefikIoGroup} or {TraefikRouterOptions.LegacyGroup} (got \"{group}\")",
                nameof(options));
        }

        _api = api;
        _group = group;
        _resolver = new ApiVersionResolver(api);
    }

    /// <inheritdoc />
    public string Provider => TrafficProviders.Traefik;

    /// <inheritdoc />
    /// <exception cref="TrafficRouterException">The spec has A/B matches, or the cluster serves no TraefikService API.</exception>
    public async ValueTask ReconcileAsync(CanaryResource canary, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(canary);
        RefuseMatches(canary);
        var names = new CanaryNames(canary);
        var group = await ResolveGroupAsync(names.Namespace, cancellationToken);
        var services = TraefikServices(group);
        var current = await _api.TryGetAsync(services, names.Namespace, names.Apex, cancellationToken);
        var routes = current is null ? TrafficRoutes.PrimaryOnly : Read(current, names);
        await WriteAsync(services, current, canary, routes, cancellationToken);
        await ReconcilePreviewAsync(canary, group, cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask<TrafficRoutes> GetRoutesAsync(CanaryResource canary, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(canary);
        var names = new CanaryNames(canary);
        var services = TraefikServices(await ResolveGroupAsync(names.Namespace, cancellationToken));
        var current = await _api.TryGetAsync(services, names.Namespace, names.Apex, cancellationToken);
        return current is null ? TrafficRoutes.PrimaryOnly : Read(current, names);
    }

    /// <inheritdoc />
    public async ValueTask<TrafficRoutes> SetRoutesAsync(CanaryResource canary, TrafficRoutes routes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(canary);
        RefuseMatches(canary);
        var weight = RouteWeights.CanaryWeight(routes);
        var achieved = TrafficRoutes.ForCanary(weight) with { Mirrored = routes.Mirrored && weight == 0 };
        var names = new CanaryNames(canary);
        var services = TraefikServices(await ResolveGroupAsync(names.Namespace, cancellationToken));
        var current = await _api.TryGetAsync(services, names.Namespace, names.Apex, cancellationToken);
        await WriteAsync(services, current, canary, achieved, cancellationToken);
        return achieved;
    }

    private static ResourceType TraefikServices(string group) => new(group, Version, "traefikservices", true, "TraefikService");

    private static ResourceType IngressRoutes(string group) => new(group, Version, "ingressroutes", true, "IngressRoute");

    private static void RefuseMatches(CanaryResource canary)
    {
        if (canary.Spec.Analysis.Match.Count > 0)
        {
            throw new TrafficRouterException($"spec.analysis.match: A/B testing is not supported by provider \"{TrafficProviders.Traefik}\"");
        }
    }

    /// <summary>Reads the routes of a TraefikService; an entry without a weight weighs 1, as Traefik counts it.</summary>
    private static TrafficRoutes Read(JsonObject traefikService, CanaryNames names)
    {
        if (JsonPath.Object(traefikService, "spec", "mirroring") is { } mirroring)
        {
            var mirrored = (JsonPath.Array(mirroring, "mirrors") ?? []).Any(m => JsonPath.String(m, "name") == names.CanaryService);
            return TrafficRoutes.PrimaryOnly with { Mirrored = mirrored };
        }

        double primary = 0;
        double canary = 0;
        foreach (var service in (JsonPath.Array(traefikService, "spec", "weighted", "services") ?? []).OfType<JsonObject>())
        {
            var weight = JsonPath.Integer(service, "weight") ?? 1;
            var name = JsonPath.String(service, "name");
            if (name == names.PrimaryService)
            {
                primary += weight;
            }
            else if (name == names.CanaryService)
            {
                canary += weight;
            }
        }

        return RouteWeights.FromRelative(primary, canary);
    }

    private static JsonObject Entry(string name, CanaryNames names, int port) => new()
    {
        ["name"] = name,
        ["namespace"] = names.Namespace,
        ["port"] = port,
    };

    /// <summary>
    /// Builds the spec: weights are always written, even 0 for the primary, because Traefik gives an entry without one a weight of 1;
    /// the canary is left out at 0.
    /// </summary>
    private static JsonObject Spec(CanaryResource canary, TrafficRoutes routes)
    {
        var names = new CanaryNames(canary);
        var port = canary.Spec.Service.Port;
        if (routes.Mirrored)
        {
            var mirror = Entry(names.CanaryService, names, port);
            mirror["percent"] = canary.Spec.Analysis.MirrorWeight ?? 100;
            var main = Entry(names.PrimaryService, names, port);
            main["mirrors"] = new JsonArray(mirror);
            return new JsonObject { ["mirroring"] = main };
        }

        var primaryEntry = Entry(names.PrimaryService, names, port);
        primaryEntry["weight"] = routes.PrimaryWeight;
        var entries = new JsonArray(primaryEntry);
        if (routes.CanaryWeight > 0)
        {
            var canaryEntry = Entry(names.CanaryService, names, port);
            canaryEntry["weight"] = routes.CanaryWeight;
            entries.Add(canaryEntry);
        }

        return new JsonObject { ["weighted"] = new JsonObject { ["services"] = entries } };
    }

    private async Task<string> ResolveGroupAsync(string namespaceName, CancellationToken cancellationToken)
    {
        if (_group is not null)
        {
            return _group;
        }

        var served = await _resolver.ResolveAsync(
            [TraefikServices(TraefikRouterOptions.TraefikIoGroup), TraefikServices(TraefikRouterOptions.LegacyGroup)],
            namespaceName,
            cancellationToken);
        return served?.Group ?? throw new TrafficRouterException(
            $"provider \"{TrafficProviders.Traefik}\": the cluster serves no TraefikService API " +
            $"({TraefikRouterOptions.TraefikIoGroup}/{Version} or {TraefikRouterOptions.LegacyGroup}/{Version}); install Traefik's CRDs");
    }

    private async Task WriteAsync(ResourceType services, JsonObject? current, CanaryResource canary, TrafficRoutes routes, CancellationToken cancellationToken)
    {
        var names = new CanaryNames(canary);
        var owner = current is null ? await ManagedObjects.OwnerReferenceAsync(_api, names, cancellationToken) : null;
        var desired = ManagedObjects.New(services, names.Namespace, names.Apex, owner, Spec(canary, routes));
        await ManagedObjects.CreateOrPatchAsync(_api, services, current, desired, OwnedFields.Spec("weighted", "mirroring"), cancellationToken);
    }

    private async Task ReconcilePreviewAsync(CanaryResource canary, string group, CancellationToken cancellationToken)
    {
        var names = new CanaryNames(canary);
        var routes = IngressRoutes(group);
        if (string.IsNullOrWhiteSpace(canary.Spec.Service.PreviewHost))
        {
            await ManagedObjects.DeleteIfManagedAsync(_api, routes, names.Namespace, names.PreviewService, cancellationToken);
            return;
        }

        var current = await _api.TryGetAsync(routes, names.Namespace, names.PreviewService, cancellationToken);
        var owner = current is null ? await ManagedObjects.OwnerReferenceAsync(_api, names, cancellationToken) : null;
        var spec = new JsonObject
        {
            ["routes"] = new JsonArray(new JsonObject
            {
                ["match"] = string.Create(CultureInfo.InvariantCulture, $"Host(`{canary.Spec.Service.PreviewHost}`)"),
                ["kind"] = "Rule",
                ["services"] = new JsonArray(new JsonObject { ["name"] = names.CanaryService, ["port"] = canary.Spec.Service.Port }),
            }),
        };
        var desired = ManagedObjects.New(routes, names.Namespace, names.PreviewService, owner, spec);
        await ManagedObjects.CreateOrPatchAsync(_api, routes, current, desired, OwnedFields.Spec("routes"), cancellationToken);
    }
}
