using System.Globalization;
using System.Text.Json.Nodes;
using Canary.Kubernetes.Client;
using Canary.Model;

namespace Canary.Kubernetes.Routing;

/// <summary>
/// Keeps the selector of the apex Service (the one clients call) for the routers that route by selecting pods. Only the selector is
/// patched on an existing Service, with every other key removed, since a merge patch of a map would otherwise AND the old keys in.
/// </summary>
internal static class ApexService
{
    public static async Task<JsonObject?> GetAsync(IKubernetesApi api, CanaryNames names, CancellationToken cancellationToken) =>
        await api.TryGetAsync(ResourceType.Services, names.Namespace, names.Apex, cancellationToken);

    public static bool Selects(JsonObject service, IReadOnlyDictionary<string, string> selector)
    {
        var current = JsonPath.StringMap(service, "spec", "selector");
        return current.Count == selector.Count && selector.All(p => current.TryGetValue(p.Key, out var v) && v == p.Value);
    }

    /// <summary>Creates the apex Service with the canary's port and the selector.</summary>
    public static async Task CreateAsync(
        IKubernetesApi api, CanaryResource canary, IReadOnlyDictionary<string, string> selector, CancellationToken cancellationToken)
    {
        var names = new CanaryNames(canary);
        var service = canary.Spec.Service;
        var port = new JsonObject
        {
            ["name"] = service.PortName,
            ["protocol"] = "TCP",
            ["port"] = service.Port,
            ["targetPort"] = service.TargetPort is null
                ? JsonValue.Create(service.Port)
                : int.TryParse(service.TargetPort, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
                    ? JsonValue.Create(number)
                    : JsonValue.Create(service.TargetPort),
        };
        var spec = new JsonObject { ["selector"] = JsonPath.ToObject(selector), ["ports"] = new JsonArray(port) };
        var owner = await ManagedObjects.OwnerReferenceAsync(api, names, cancellationToken);
        var desired = ManagedObjects.New(ResourceType.Services, names.Namespace, names.Apex, owner, spec);
        await ManagedObjects.CreateOrPatchAsync(api, ResourceType.Services, null, desired, OwnedFields.Spec("selector"), cancellationToken);
    }

    /// <summary>Points the existing apex Service at exactly <paramref name="selector"/>; writes nothing when it already is.</summary>
    public static async Task SelectAsync(
        IKubernetesApi api, CanaryNames names, JsonObject service, IReadOnlyDictionary<string, string> selector, CancellationToken cancellationToken)
    {
        if (Selects(service, selector))
        {
            return;
        }

        var patch = JsonPath.ToObject(selector);
        foreach (var key in JsonPath.StringMap(service, "spec", "selector").Keys.Where(k => !selector.ContainsKey(k)))
        {
            patch[key] = null;
        }

        await api.PatchAsync(
            ResourceType.Services,
            names.Namespace,
            names.Apex,
            KubernetesPatch.Merge(new JsonObject { ["spec"] = new JsonObject { ["selector"] = patch } }),
            null,
            null,
            cancellationToken);
    }
}
