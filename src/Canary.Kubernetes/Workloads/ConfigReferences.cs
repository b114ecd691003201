using System.Text.Json.Nodes;
using Canary.Kubernetes.Client;

namespace Canary.Kubernetes.Workloads;

/// <summary>
/// Finds and renames the ConfigMaps and Secrets a pod template references: container <c>env[].valueFrom</c> and
/// <c>envFrom[]</c> (of containers, init containers and ephemeral containers), and <c>configMap</c>, <c>secret</c> and
/// <c>projected</c> volumes.
/// </summary>
internal static class ConfigReferences
{
    private static readonly string[] ContainerLists = ["containers", "initContainers", "ephemeralContainers"];

    /// <summary>Returns the distinct objects the template references, ConfigMaps first, each sorted by name.</summary>
    public static IReadOnlyList<(ResourceType Resource, string Name)> Find(JsonObject template)
    {
        var found = new SortedSet<(string Kind, string Name)>();
        Visit(template, (resource, name) =>
        {
            found.Add((resource.Kind, name));
            return null;
        });
        return found.Select(f => (f.Kind == ResourceType.ConfigMaps.Kind ? ResourceType.ConfigMaps : ResourceType.Secrets, f.Name)).ToList();
    }

    /// <summary>Renames references in place: <paramref name="rename"/> returns the new name, or <see langword="null"/> to leave one as it is.</summary>
    public static void Rename(JsonObject template, Func<ResourceType, string, string?> rename) => Visit(template, rename);

    private static void Visit(JsonObject template, Func<ResourceType, string, string?> visit)
    {
        if (template["spec"] is not JsonObject spec)
        {
            return;
        }

        foreach (var list in ContainerLists)
        {
            foreach (var container in (spec[list] as JsonArray ?? []).OfType<JsonObject>())
            {
                foreach (var env in (container["env"] as JsonArray ?? []).OfType<JsonObject>())
                {
                    if (env["valueFrom"] is JsonObject from)
                    {
                        Visit(from["configMapKeyRef"], "name", ResourceType.ConfigMaps, visit);
                        Visit(from["secretKeyRef"], "name", ResourceType.Secrets, visit);
                    }
                }

                foreach (var source in (container["envFrom"] as JsonArray ?? []).OfType<JsonObject>())
                {
                    Visit(source["configMapRef"], "name", ResourceType.ConfigMaps, visit);
                    Visit(source["secretRef"], "name", ResourceType.Secrets, visit);
                }
            }
        }

        foreach (var volume in (spec["volumes"] as JsonArray ?? []).OfType<JsonObject>())
        {
            Visit(volume["configMap"], "name", ResourceType.ConfigMaps, visit);
            Visit(volume["secret"], "secretName", ResourceType.Secrets, visit);
            foreach (var source in (volume["projected"]?["sources"] as JsonArray ?? []).OfType<JsonObject>())
            {
                Visit(source["configMap"], "name", ResourceType.ConfigMaps, visit);
                Visit(source["secret"], "name", ResourceType.Secrets, visit);
            }
        }
    }

    private static void Visit(JsonNode? reference, string member, ResourceType resource, Func<ResourceType, string, string?> visit)
    {
        if (reference is JsonObject obj && JsonTree.String(obj, member) is { Length: > 0 } name && visit(resource, name) is { } renamed)
        {
            obj[member] = renamed;
        }
    }
}
