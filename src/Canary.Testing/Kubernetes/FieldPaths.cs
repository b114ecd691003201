using System.Text;
using System.Text.Json.Nodes;

namespace Canary.Testing.Kubernetes;

/// <summary>
/// Field paths as server-side apply tracks them: elements <c>f:name</c> (a field), <c>k:{"name":"app"}</c>
/// (a list item by merge key) and <c>v:"x"</c> (a set member), joined with a newline. A path that ends in a list
/// item stands for the item itself (the "." of <c>fieldsV1</c>).
/// </summary>
internal static class FieldPaths
{
    private const char Separator = '\n';

    private static readonly HashSet<string> SystemMetadata = new(StringComparer.Ordinal)
    {
        "name", "namespace", "uid", "resourceVersion", "generation", "creationTimestamp", "managedFields",
        "deletionTimestamp", "deletionGracePeriodSeconds", "selfLink",
    };

    /// <summary>Which part of an object a write may touch.</summary>
    internal enum Scope
    {
        /// <summary>Everything but status (types with a status subresource).</summary>
        Main,

        /// <summary>Only status (the status subresource).</summary>
        Status,

        /// <summary>Everything (types without a status subresource).</summary>
        All,
    }

    public static Scope ScopeFor(ApiResource resource, string? subresource) =>
        subresource == "status" ? Scope.Status : resource.HasStatus ? Scope.Main : Scope.All;

    /// <summary>Every owned path of an object: leaves, empty maps, atomic lists and list items.</summary>
    public static HashSet<string> Collect(JsonObject obj, Scope scope, bool builtIn)
    {
        var paths = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (key, value) in obj)
        {
            if (key is "apiVersion" or "kind" || !InScope(key, scope))
            {
                continue;
            }

            if (key == "metadata" && value is JsonObject metadata)
            {
                foreach (var (metaKey, metaValue) in metadata)
                {
                    if (!SystemMetadata.Contains(metaKey))
                    {
                        Walk(metaValue, Join("f:metadata", "f:" + metaKey), metaKey, builtIn, paths);
                    }
                }

                continue;
            }

            Walk(value, "f:" + key, key, builtIn, paths);
        }

        return paths;
    }

    public static bool InScope(string topLevelField, Scope scope) => scope switch
    {
        Scope.Status => topLevelField == "status",
        Scope.Main => topLevelField != "status",
        _ => true,
    };

    private static void Walk(JsonNode? node, string path, string field, bool builtIn, HashSet<string> paths)
    {
        switch (node)
        {
            case JsonObject obj when obj.Count > 0:
                foreach (var (key, value) in obj)
                {
                    Walk(value, Join(path, "f:" + key), key, builtIn, paths);
                }

                break;
            case JsonArray array when builtIn && KeyedItems(field, array) is { } key:
                foreach (var item in array.Cast<JsonObject>())
                {
                    var itemPath = Join(path, ItemElement(key, item));
                    paths.Add(itemPath);
                    foreach (var (childKey, childValue) in item)
                    {
                        Walk(childValue, Join(itemPath, "f:" + childKey), childKey, builtIn, paths);
                    }
                }

                break;
            case JsonArray array when builtIn && MergeKeys.IsPrimitiveSet(field):
                foreach (var item in array)
                {
                    paths.Add(Join(path, "v:" + JsonTools.Serialize(item)));
                }

                break;
            default:
                paths.Add(path);
                break;
        }
    }

    private static string? KeyedItems(string field, JsonArray array)
    {
        var key = MergeKeys.KeyFor(field, array, null);
        return key is not null && array.All(i => i is JsonObject o && o[key] is not null) ? key : null;
    }

    private static string ItemElement(string key, JsonObject item) =>
        "k:" + new JsonObject { [key] = item[key]!.DeepClone() }.ToJsonString(JsonTools.WireOptions);

    public static string Join(string prefix, string element) => prefix.Length == 0 ? element : prefix + Separator + element;

    public static string[] Elements(string path) => path.Split(Separator);

    public static bool IsItem(string path)
    {
        var last = path[(path.LastIndexOf(Separator) + 1)..];
        return last.StartsWith("k:", StringComparison.Ordinal) || last.StartsWith("v:", StringComparison.Ordinal);
    }

    public static bool IsAncestor(string ancestor, string path) =>
        path.Length > ancestor.Length && path.StartsWith(ancestor, StringComparison.Ordinal) && path[ancestor.Length] == Separator;

    /// <summary>The path as the API server prints it: <c>.spec.template.spec.containers[name="app"].image</c>.</summary>
    public static string Display(string path)
    {
        var text = new StringBuilder();
        foreach (var element in Elements(path))
        {
            if (element.StartsWith("f:", StringComparison.Ordinal))
            {
                text.Append('.').Append(element[2..]);
            }
            else if (element.StartsWith("k:", StringComparison.Ordinal) && JsonTools.Parse(element[2..]) is JsonObject key)
            {
                text.Append('[').Append(string.Join(",", key.Select(p => $"{p.Key}={JsonTools.Serialize(p.Value)}"))).Append(']');
            }
            else
            {
                text.Append("[=").Append(element[2..]).Append(']');
            }
        }

        return text.ToString();
    }

    /// <summary>Finds the value at a path; <paramref name="exists"/> tells a JSON null from a missing field.</summary>
    public static JsonNode? ValueAt(JsonObject obj, string path, out bool exists)
    {
        JsonNode? current = obj;
        foreach (var element in Elements(path))
        {
            if (!Step(current, element, out current, out _, out _))
            {
                exists = false;
                return null;
            }
        }

        exists = true;
        return current;
    }

    /// <summary>Removes the field or list item at a path, if present.</summary>
    public static void Remove(JsonObject obj, string path)
    {
        var elements = Elements(path);
        JsonNode? current = obj;
        for (var i = 0; i < elements.Length - 1; i++)
        {
            if (!Step(current, elements[i], out current, out _, out _))
            {
                return;
            }
        }

        if (!Step(current, elements[^1], out _, out var container, out var index))
        {
            return;
        }

        switch (container)
        {
            case JsonObject parent:
                parent.Remove(elements[^1][2..]);
                break;
            case JsonArray list:
                list.RemoveAt(index);
                break;
        }
    }

    private static bool Step(JsonNode? current, string element, out JsonNode? next, out JsonNode? container, out int index)
    {
        next = null;
        container = current;
        index = -1;
        if (element.StartsWith("f:", StringComparison.Ordinal))
        {
            return current is JsonObject obj && obj.TryGetPropertyValue(element[2..], out next);
        }

        if (current is not JsonArray array)
        {
            return false;
        }

        if (element.StartsWith("k:", StringComparison.Ordinal))
        {
            if (JsonTools.Parse(element[2..]) is not JsonObject key)
            {
                return false;
            }

            for (var i = 0; i < array.Count; i++)
            {
                if (array[i] is JsonObject item && key.All(p => JsonNode.DeepEquals(item[p.Key], p.Value)))
                {
                    next = item;
                    index = i;
                    return true;
                }
            }

            return false;
        }

        var value = JsonTools.Parse(element[2..]);
        for (var i = 0; i < array.Count; i++)
        {
            if (JsonNode.DeepEquals(array[i], value))
            {
                next = array[i];
                index = i;
                return true;
            }
        }

        return false;
    }

    /// <summary>Encodes a path set as the nested <c>fieldsV1</c> object of a managedFields entry.</summary>
    public static JsonObject ToFieldsV1(IEnumerable<string> paths)
    {
        var root = new JsonObject();
        var members = new List<JsonObject>();
        foreach (var path in paths.Order(StringComparer.Ordinal))
        {
            var node = root;
            foreach (var element in Elements(path))
            {
                if (node[element] is not JsonObject child)
                {
                    child = new JsonObject();
                    node[element] = child;
                }

                node = child;
            }

            members.Add(node);
        }

        foreach (var member in members.Where(m => m.Count > 0 && !m.ContainsKey(".")))
        {
            member["."] = new JsonObject();
        }

        return Sort(root);
    }

    private static JsonObject Sort(JsonObject node)
    {
        var sorted = new JsonObject();
        foreach (var (key, value) in node.OrderBy(p => p.Key == "." ? string.Empty : p.Key, StringComparer.Ordinal).ToList())
        {
            node.Remove(key);
            sorted[key] = value is JsonObject child ? Sort(child) : value;
        }

        return sorted;
    }

    /// <summary>Decodes a <c>fieldsV1</c> object into a path set.</summary>
    public static HashSet<string> FromFieldsV1(JsonNode? fields)
    {
        var paths = new HashSet<string>(StringComparer.Ordinal);
        if (fields is JsonObject obj)
        {
            Read(obj, string.Empty, paths);
        }

        return paths;
    }

    private static void Read(JsonObject node, string prefix, HashSet<string> paths)
    {
        foreach (var (key, value) in node)
        {
            if (key == ".")
            {
                if (prefix.Length > 0)
                {
                    paths.Add(prefix);
                }

                continue;
            }

            var path = Join(prefix, key);
            if (value is JsonObject child && child.Count > 0)
            {
                Read(child, path, paths);
            }
            else
            {
                paths.Add(path);
            }
        }
    }
}
