using System.Text.Json.Nodes;

namespace Canary.Testing.Kubernetes;

/// <summary>
/// How the built-in types merge their lists (the <c>patchStrategy</c>/<c>patchMergeKey</c> tags of the Go types),
/// for strategic merge patch and field ownership. Lists not listed here are atomic.
/// </summary>
internal static class MergeKeys
{
    private static readonly Dictionary<string, string> KeyByField = new(StringComparer.Ordinal)
    {
        ["containers"] = "name",
        ["initContainers"] = "name",
        ["ephemeralContainers"] = "name",
        ["env"] = "name",
        ["volumes"] = "name",
        ["volumeMounts"] = "mountPath",
        ["volumeDevices"] = "devicePath",
        ["imagePullSecrets"] = "name",
        ["hostAliases"] = "ip",
        ["conditions"] = "type",
        ["ownerReferences"] = "uid",
        ["topologySpreadConstraints"] = "topologyKey",
        ["resourceClaims"] = "name",
    };

    private static readonly HashSet<string> PrimitiveSets = new(StringComparer.Ordinal) { "finalizers" };

    /// <summary>The merge key of the list named <paramref name="field"/>, or null if the list is atomic or a set of scalars.</summary>
    public static string? KeyFor(string field, JsonArray? original, JsonArray? patch)
    {
        if (field == "ports")
        {
            var sample = (original ?? []).Concat(patch ?? []).OfType<JsonObject>().FirstOrDefault(o => !o.ContainsKey("$patch") || o.Count > 1);
            return sample is not null && sample.ContainsKey("containerPort") ? "containerPort" : "port";
        }

        return KeyByField.GetValueOrDefault(field);
    }

    public static bool IsPrimitiveSet(string field) => PrimitiveSets.Contains(field);
}
