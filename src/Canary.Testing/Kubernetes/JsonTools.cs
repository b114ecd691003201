using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Canary.Testing.Kubernetes;

/// <summary>Small helpers over System.Text.Json nodes shared by the fake API server.</summary>
internal static class JsonTools
{
    /// <summary>Compact output like the API server's, without escaping non-ASCII or HTML characters.</summary>
    public static readonly JsonSerializerOptions WireOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = false,
    };

    public static string Serialize(JsonNode? node) => node is null ? "null" : node.ToJsonString(WireOptions);

    public static JsonNode? Clone(JsonNode? node) => node?.DeepClone();

    public static JsonObject CloneObject(JsonObject node) => (JsonObject)node.DeepClone();

    public static bool Equal(JsonNode? a, JsonNode? b) => JsonNode.DeepEquals(a, b);

    public static JsonObject Metadata(JsonObject obj)
    {
        if (obj["metadata"] is JsonObject metadata)
        {
            return metadata;
        }

        var created = new JsonObject();
        obj["metadata"] = created;
        return created;
    }

    public static string? GetString(JsonNode? node, string property) =>
        node is JsonObject obj && obj[property] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    public static string? MetaString(JsonObject obj, string property) => GetString(obj["metadata"], property);

    public static string Name(JsonObject obj) => MetaString(obj, "name") ?? string.Empty;

    public static string Namespace(JsonObject obj) => MetaString(obj, "namespace") ?? string.Empty;

    public static string ResourceVersion(JsonObject obj) => MetaString(obj, "resourceVersion") ?? string.Empty;

    public static string Uid(JsonObject obj) => MetaString(obj, "uid") ?? string.Empty;

    public static long? GetInt64(JsonNode? node)
    {
        if (node is not JsonValue value)
        {
            return null;
        }

        if (value.TryGetValue<long>(out var number))
        {
            return number;
        }

        if (value.TryGetValue<int>(out var small))
        {
            return small;
        }

        if (value.TryGetValue<double>(out var real) && Math.Abs(real % 1) < double.Epsilon)
        {
            return (long)real;
        }

        if (value.TryGetValue<JsonElement>(out var element) && element.ValueKind == JsonValueKind.Number && element.TryGetInt64(out var parsed))
        {
            return parsed;
        }

        return null;
    }

    public static bool GetBool(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<bool>(out var flag) && flag;

    /// <summary>A string-to-string map (labels, annotations); non-string values are skipped.</summary>
    public static Dictionary<string, string> StringMap(JsonNode? node)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        if (node is JsonObject obj)
        {
            foreach (var (key, value) in obj)
            {
                if (value is JsonValue v && v.TryGetValue<string>(out var text))
                {
                    map[key] = text;
                }
            }
        }

        return map;
    }

    public static string FormatTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string FormatMicroTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    public static JsonNode? Parse(string text) =>
        JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { AllowTrailingCommas = false, MaxDepth = 256 });

    /// <summary>Canonical text of a node with object keys sorted, for comparing and hashing values independent of key order.</summary>
    public static string Canonical(JsonNode? node)
    {
        switch (node)
        {
            case null:
                return "null";
            case JsonObject obj:
                var parts = obj.OrderBy(p => p.Key, StringComparer.Ordinal)
                    .Select(p => JsonSerializer.Serialize(p.Key) + ":" + Canonical(p.Value));
                return "{" + string.Join(",", parts) + "}";
            case JsonArray array:
                return "[" + string.Join(",", array.Select(Canonical)) + "]";
            default:
                return node.ToJsonString();
        }
    }
}
