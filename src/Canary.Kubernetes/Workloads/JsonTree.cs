using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Canary.Kubernetes.Workloads;

/// <summary>Small operations on JSON trees: canonical text for hashing and comparing, and RFC 7386 merge patches between two trees.</summary>
internal static class JsonTree
{
    /// <summary>Writes a node with object keys in ordinal order and no whitespace, so that equal trees give equal text.</summary>
    public static string Canonical(JsonNode? node)
    {
        var text = new StringBuilder();
        Write(node, text);
        return text.ToString();
    }

    /// <summary>Tells whether two trees are equal, ignoring the order of object keys.</summary>
    public static bool Same(JsonNode? left, JsonNode? right) => Canonical(left) == Canonical(right);

    /// <summary>
    /// Computes the merge patch that turns <paramref name="current"/> into <paramref name="desired"/>: changed members, nulls for
    /// removed ones, arrays and values whole. Returns <see langword="null"/> when they are equal.
    /// </summary>
    public static JsonNode? MergePatch(JsonNode? current, JsonNode? desired)
    {
        if (current is JsonObject from && desired is JsonObject to)
        {
            var patch = new JsonObject();
            foreach (var (key, value) in to)
            {
                if (!from.TryGetPropertyValue(key, out var old))
                {
                    patch[key] = value?.DeepClone();
                }
                else if (MergePatch(old, value) is { } change)
                {
                    patch[key] = change;
                }
                else if (old is not null && value is null)
                {
                    patch[key] = null;
                }
            }

            foreach (var (key, _) in from)
            {
                if (!to.ContainsKey(key))
                {
                    patch[key] = null;
                }
            }

            return patch.Count == 0 ? null : patch;
        }

        if (Same(current, desired))
        {
            return null;
        }

        // A null here would read as "delete"; the caller handles a desired null through the parent's member.
        return desired?.DeepClone();
    }

    /// <summary>Returns the object at a member, creating it when missing or not an object.</summary>
    public static JsonObject Object(JsonObject parent, string member)
    {
        if (parent[member] is JsonObject child)
        {
            return child;
        }

        child = [];
        parent[member] = child;
        return child;
    }

    /// <summary>Returns the string members of an object member (labels, selectors, data), or an empty map.</summary>
    public static Dictionary<string, string> StringMap(JsonNode? node)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        if (node is JsonObject obj)
        {
            foreach (var (key, value) in obj)
            {
                if (value is JsonValue text && text.TryGetValue<string>(out var s))
                {
                    map[key] = s;
                }
            }
        }

        return map;
    }

    /// <summary>Reads a string member, or <see langword="null"/>.</summary>
    public static string? String(JsonNode? node, string member) =>
        node is JsonObject obj && obj[member] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    /// <summary>Reads an integer member, or <see langword="null"/>.</summary>
    public static long? Integer(JsonNode? node, string member)
    {
        if (node is not JsonObject obj || obj[member] is not JsonValue value)
        {
            return null;
        }

        // A value built in code holds its own CLR type and converts to no other; one parsed from text converts to any.
        if (value.TryGetValue<long>(out var number))
        {
            return number;
        }

        if (value.TryGetValue<int>(out var small))
        {
            return small;
        }

        return value.TryGetValue<double>(out var real) && real == Math.Floor(real) && Math.Abs(real) < long.MaxValue ? (long)real : null;
    }

    /// <summary>Reads a boolean member, or <see langword="null"/>.</summary>
    public static bool? Boolean(JsonNode? node, string member) =>
        node is JsonObject obj && obj[member] is JsonValue value && value.TryGetValue<bool>(out var flag) ? flag : null;

    private static void Write(JsonNode? node, StringBuilder text)
    {
        switch (node)
        {
            case null:
                text.Append("null");
                break;
            case JsonObject obj:
                text.Append('{');
                var first = true;
                foreach (var (key, value) in obj.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    if (!first)
                    {
                        text.Append(',');
                    }

                    first = false;
                    text.Append(JsonSerializer.Serialize(key)).Append(':');
                    Write(value, text);
                }

                text.Append('}');
                break;
            case JsonArray array:
                text.Append('[');
                for (var i = 0; i < array.Count; i++)
                {
                    if (i > 0)
                    {
                        text.Append(',');
                    }

                    Write(array[i], text);
                }

                text.Append(']');
                break;
            default:
                var raw = node.ToJsonString();
                if (node.GetValueKind() == JsonValueKind.Number && double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
                {
                    // 3 and 3.0 are the same number to Kubernetes; write them alike.
                    text.Append(number.ToString("R", CultureInfo.InvariantCulture));
                }
                else
                {
                    text.Append(raw);
                }

                break;
        }
    }
}
