using System.Globalization;
using System.Text.Json.Nodes;

namespace Canary.Testing.Kubernetes;

/// <summary>
/// JSON Patch (RFC 6902) over JSON Pointers (RFC 6901): add, remove, replace, move, copy and test.
/// A malformed document is a 400; an operation that cannot be applied is a 422, as on the real server.
/// </summary>
internal static class JsonPatch
{
    /// <summary>Applies every operation to a copy of <paramref name="document"/>; nothing changes unless all succeed.</summary>
    public static JsonNode? Apply(JsonNode? document, JsonNode? patch)
    {
        var operations = Decode(patch);
        var root = document?.DeepClone();
        foreach (var operation in operations)
        {
            root = ApplyOne(root, operation);
        }

        return root;
    }

    private static List<Operation> Decode(JsonNode? patch)
    {
        if (patch is not JsonArray array)
        {
            throw ApiErrors.BadRequest("json: cannot unmarshal object into Go value of type jsonpatch.Patch");
        }

        var operations = new List<Operation>();
        foreach (var item in array)
        {
            if (item is not JsonObject op)
            {
                throw ApiErrors.BadRequest("json: cannot unmarshal into Go value of type jsonpatch.Operation");
            }

            var name = JsonTools.GetString(op, "op") ?? throw ApiErrors.BadRequest("Unexpected kind: unknown");
            var path = JsonTools.GetString(op, "path");
            var from = JsonTools.GetString(op, "from");
            var hasValue = op.ContainsKey("value");
            if (name is not ("add" or "remove" or "replace" or "move" or "copy" or "test"))
            {
                throw ApiErrors.BadRequest($"Unexpected kind: {name}");
            }

            if (path is null)
            {
                throw ApiErrors.BadRequest($"json patch operation \"{name}\" is missing the required field \"path\"");
            }

            if (name is "add" or "replace" or "test" && !hasValue)
            {
                throw ApiErrors.BadRequest($"json patch operation \"{name}\" is missing the required field \"value\"");
            }

            if (name is "move" or "copy" && from is null)
            {
                throw ApiErrors.BadRequest($"json patch operation \"{name}\" is missing the required field \"from\"");
            }

            operations.Add(new Operation(name, Pointer(path), from is null ? null : Pointer(from), op["value"]));
        }

        return operations;
    }

    private static JsonNode? ApplyOne(JsonNode? root, Operation operation)
    {
        switch (operation.Name)
        {
            case "add":
                return Add(root, operation.Path, operation.Value?.DeepClone());
            case "remove":
                return Remove(root, operation.Path, out _);
            case "replace":
                root = Remove(root, operation.Path, out _);
                return Add(root, operation.Path, operation.Value?.DeepClone());
            case "move":
                if (IsProperPrefix(operation.From!, operation.Path))
                {
                    throw ApiErrors.PatchNotApplicable();
                }

                root = Remove(root, operation.From!, out var moved);
                return Add(root, operation.Path, moved);
            case "copy":
                var copied = Resolve(root, operation.From!) ?? throw ApiErrors.PatchNotApplicable();
                return Add(root, operation.Path, copied.Value?.DeepClone());
            default:
                var found = Resolve(root, operation.Path) ?? throw ApiErrors.PatchNotApplicable();
                if (!JsonNode.DeepEquals(found.Value, operation.Value))
                {
                    throw ApiErrors.PatchNotApplicable();
                }

                return root;
        }
    }

    private static JsonNode? Add(JsonNode? root, IReadOnlyList<string> path, JsonNode? value)
    {
        if (path.Count == 0)
        {
            return value;
        }

        var parent = Resolve(root, path.Take(path.Count - 1).ToList())?.Value;
        var last = path[^1];
        switch (parent)
        {
            case JsonObject obj:
                obj[last] = value;
                return root;
            case JsonArray array:
                if (last == "-")
                {
                    array.Add(value);
                    return root;
                }

                var index = Index(last);
                if (index < 0 || index > array.Count)
                {
                    throw ApiErrors.PatchNotApplicable();
                }

                array.Insert(index, value);
                return root;
            default:
                throw ApiErrors.PatchNotApplicable();
        }
    }

    private static JsonNode? Remove(JsonNode? root, IReadOnlyList<string> path, out JsonNode? removed)
    {
        if (path.Count == 0)
        {
            removed = root;
            return null;
        }

        var parent = Resolve(root, path.Take(path.Count - 1).ToList())?.Value;
        var last = path[^1];
        switch (parent)
        {
            case JsonObject obj when obj.TryGetPropertyValue(last, out var child):
                obj.Remove(last);
                removed = child;
                return root;
            case JsonArray array:
                var index = Index(last);
                if (index < 0 || index >= array.Count)
                {
                    throw ApiErrors.PatchNotApplicable();
                }

                removed = array[index];
                array.RemoveAt(index);
                return root;
            default:
                throw ApiErrors.PatchNotApplicable();
        }
    }

    /// <summary>The node at a pointer, wrapped so that a JSON null is distinguishable from "missing".</summary>
    private static Found? Resolve(JsonNode? root, IReadOnlyList<string> path)
    {
        var current = root;
        foreach (var token in path)
        {
            switch (current)
            {
                case JsonObject obj when obj.TryGetPropertyValue(token, out var child):
                    current = child;
                    break;
                case JsonArray array:
                    var index = Index(token);
                    if (index < 0 || index >= array.Count)
                    {
                        return null;
                    }

                    current = array[index];
                    break;
                default:
                    return null;
            }
        }

        return new Found(current);
    }

    private static int Index(string token)
    {
        if (token.Length == 0 || (token.Length > 1 && token[0] == '0') || !token.All(char.IsAsciiDigit))
        {
            return -1;
        }

        return int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var index) ? index : -1;
    }

    private static bool IsProperPrefix(IReadOnlyList<string> prefix, IReadOnlyList<string> path) =>
        prefix.Count < path.Count && prefix.Select((t, i) => t == path[i]).All(x => x);

    /// <summary>Splits an RFC 6901 pointer into unescaped tokens.</summary>
    public static List<string> Pointer(string pointer)
    {
        if (pointer.Length == 0)
        {
            return [];
        }

        if (pointer[0] != '/')
        {
            throw ApiErrors.BadRequest($"JSON pointer must be empty or start with a \"/\": {pointer}");
        }

        return pointer[1..].Split('/').Select(t => t.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)).ToList();
    }

    private sealed record Operation(string Name, IReadOnlyList<string> Path, IReadOnlyList<string>? From, JsonNode? Value);

    private sealed record Found(JsonNode? Value);
}
