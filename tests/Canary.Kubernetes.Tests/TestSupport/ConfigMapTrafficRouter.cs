using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using Canary.Kubernetes.Client;
using Canary.Model;
using Canary.Routing;

namespace Canary.Kubernetes.Tests.TestSupport;

/// <summary>
/// A test router that keeps the weights in a ConfigMap <c>name-traffic</c>, written through the engine's own client so that
/// its writes show in the fake server's log under the engine's identity. It reads the ConfigMap once per canary and then
/// trusts what it wrote, as a router that owns its object may.
/// </summary>
internal sealed class ConfigMapTrafficRouter(IKubernetesApi api, string fieldManager) : ITrafficRouter
{
    private readonly ConcurrentDictionary<CanaryId, TrafficRoutes> _routes = new();

    public string Provider => "*";

    public static TrafficRoutes Read(JsonObject? configMap) => configMap?["data"] is JsonObject data
        ? new TrafficRoutes(
            int.Parse(data["primary"]!.GetValue<string>(), CultureInfo.InvariantCulture),
            int.Parse(data["canary"]!.GetValue<string>(), CultureInfo.InvariantCulture),
            data["mirrored"]!.GetValue<string>() == "true")
        : TrafficRoutes.PrimaryOnly;

    public async ValueTask ReconcileAsync(CanaryResource canary, CancellationToken cancellationToken) => await KnownAsync(canary, cancellationToken);

    public async ValueTask<TrafficRoutes> GetRoutesAsync(CanaryResource canary, CancellationToken cancellationToken) => await KnownAsync(canary, cancellationToken);

    public async ValueTask<TrafficRoutes> SetRoutesAsync(CanaryResource canary, TrafficRoutes routes, CancellationToken cancellationToken)
    {
        if (await KnownAsync(canary, cancellationToken) != routes)
        {
            await api.PatchAsync(ResourceType.ConfigMaps, canary.Id.Namespace, Name(canary), KubernetesPatch.Merge(new JsonObject { ["data"] = Data(routes) }),
                new PatchOptions { FieldManager = fieldManager }, cancellationToken: cancellationToken);
            _routes[canary.Id] = routes;
        }

        return routes;
    }

    private static string Name(CanaryResource canary) => canary.Id.Name + "-traffic";

    private static JsonObject Data(TrafficRoutes routes) => new()
    {
        ["primary"] = routes.PrimaryWeight.ToString(CultureInfo.InvariantCulture),
        ["canary"] = routes.CanaryWeight.ToString(CultureInfo.InvariantCulture),
        ["mirrored"] = routes.Mirrored ? "true" : "false",
    };

    private async ValueTask<TrafficRoutes> KnownAsync(CanaryResource canary, CancellationToken cancellationToken)
    {
        if (_routes.TryGetValue(canary.Id, out var known))
        {
            return known;
        }

        var configMap = await api.TryGetAsync(ResourceType.ConfigMaps, canary.Id.Namespace, Name(canary), cancellationToken);
        if (configMap is null)
        {
            await api.CreateAsync(ResourceType.ConfigMaps, canary.Id.Namespace, new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "ConfigMap",
                ["metadata"] = new JsonObject { ["name"] = Name(canary), ["namespace"] = canary.Id.Namespace },
                ["data"] = Data(TrafficRoutes.PrimaryOnly),
            }, cancellationToken);
        }

        return _routes[canary.Id] = Read(configMap);
    }
}
