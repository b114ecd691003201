using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Canary.Kubernetes.Routing;

/// <summary>Reads nested fields of objects held as <see cref="JsonNode"/>, tolerating missing levels.</summary>
internal static class JsonPath
{
    public static JsonNode? At(JsonNode? node, params string[] path)
    {
        foreach (var segment in path)
        {
            if (node is not JsonObject obj || !obj.TryGetPropertyValue(segment, out node))
            {
                return null;
            }
        }

        return node;
    }

    public static JsonObject? Object(JsonNode? node, params string[] path) => At(node, path) as JsonObject;

    public static JsonArray? Array(JsonNode? node, params string[] path) => At(node, path) as JsonArray;

    public static string? String(JsonNode? node, params string[] path) =>
        At(node, path) is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    /// <summary>Reads a whole number, written as a JSON number or (as some controllers do) a numeric string.</summary>
    public static long? Integer(JsonNode? node, params string[] path)
    {
        if (At(node, path) is not JsonValue value)
        {
            return null;
        }

        return value.GetValueKind() switch
        {
            JsonValueKind.Number when value.TryGetValue<long>(out var whole) => whole,
            JsonValueKind.Number when value.TryGetValue<int>(out var small) => small,
            JsonValueKind.Number when value.TryGetValue<double>(out var real) && real == Math.Floor(real) && Math.Abs(real) < 1e15 => (long)real,
            JsonValueKind.String when long.TryParse(value.GetValue<string>(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) => parsed,
            _ => null,
        };
    }

    /// <summary>Returns the string map at <paramref name="path"/> (labels, annotations, selectors), empty when missing.</summary>
    public static IReadOnlyDictionary<string, string> StringMap(JsonNode? node, params string[] path)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        if (Object(node, path) is { } obj)
        {
            foreach (var (key, value) in obj)
            {
                if (value is JsonValue text && text.GetValueKind() == JsonValueKind.String)
                {
                    map[key] = text.GetValue<string>();
                }
            }
        }

        return map;
    }

    public static JsonObject ToObject(IEnumerable<KeyValuePair<string, string>> map)
    {
        var obj = new JsonObject();
        foreach (var (key, value) in map.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            obj[key] = value;
        }

        return obj;
    }
}
