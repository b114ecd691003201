using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Canary.Testing.Tests.Kubernetes;

/// <summary>Builders and readers of the JSON objects the tests send and check.</summary>
internal static class Objects
{
    private static readonly JsonSerializerOptions Readable = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Compact JSON without escaping quotes as \u0022, to compare with expected text.</summary>
    public static string Json(JsonNode? node) => node?.ToJsonString(Readable) ?? "null";

    public static JsonNode? At(JsonNode? node, string path)
    {
        foreach (var segment in path.Split('.'))
        {
            node = node switch
            {
                JsonArray array when int.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out var index) => index < array.Count ? array[index] : null,
                JsonObject obj => obj[segment],
                _ => null,
            };
        }

        return node;
    }

    public static string? Str(JsonNode? node, string path) => At(node, path) is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    public static long? Long(JsonNode? node, string path) => At(node, path) is JsonValue v && v.TryGetValue<long>(out var l) ? l : null;

    public static JsonObject ConfigMap(string name, string? ns = null, JsonObject? labels = null, JsonObject? data = null)
    {
        var metadata = new JsonObject { ["name"] = name };
        if (ns is not null)
        {
            metadata["namespace"] = ns;
        }

        if (labels is not null)
        {
            metadata["labels"] = labels;
        }

        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "ConfigMap",
            ["metadata"] = metadata,
            ["data"] = data ?? new JsonObject { ["key"] = "value" },
        };
    }

    public static JsonObject Deployment(string name, int replicas = 2, string image = "podinfo:1.0", JsonObject? extraSpec = null)
    {
        var spec = new JsonObject
        {
            ["replicas"] = replicas,
            ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = name } },
            ["template"] = new JsonObject
            {
                ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["app"] = name } },
                ["spec"] = new JsonObject
                {
                    ["containers"] = new JsonArray(new JsonObject
                    {
                        ["name"] = "app",
                        ["image"] = image,
                        ["ports"] = new JsonArray(new JsonObject { ["containerPort"] = 8080 }),
                        ["env"] = new JsonArray(new JsonObject { ["name"] = "MODE", ["value"] = "stable" }),
                    }),
                },
            },
        };
        foreach (var (key, value) in extraSpec ?? [])
        {
            spec[key] = value?.DeepClone();
        }

        return new JsonObject
        {
            ["apiVersion"] = "apps/v1",
            ["kind"] = "Deployment",
            ["metadata"] = new JsonObject { ["name"] = name },
            ["spec"] = spec,
        };
    }

    public static JsonObject Lease(string name, string holder) => new()
    {
        ["apiVersion"] = "coordination.k8s.io/v1",
        ["kind"] = "Lease",
        ["metadata"] = new JsonObject { ["name"] = name },
        ["spec"] = new JsonObject { ["holderIdentity"] = holder, ["leaseDurationSeconds"] = 15 },
    };

    public static JsonObject Widget(string name, string size = "small") => new()
    {
        ["apiVersion"] = "example.com/v1",
        ["kind"] = "Widget",
        ["metadata"] = new JsonObject { ["name"] = name },
        ["spec"] = new JsonObject { ["size"] = size },
    };

    public static JsonObject OwnerReference(JsonObject owner) => new()
    {
        ["apiVersion"] = Str(owner, "apiVersion"),
        ["kind"] = Str(owner, "kind"),
        ["name"] = Str(owner, "metadata.name"),
        ["uid"] = Str(owner, "metadata.uid"),
    };
}
