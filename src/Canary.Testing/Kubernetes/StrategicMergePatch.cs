using System.Text.Json.Nodes;

namespace Canary.Testing.Kubernetes;

/// <summary>
/// Strategic merge patch for built-in types: maps merge, keyed lists merge item by item on their merge key,
/// other lists are replaced; supports <c>$patch: replace|delete|merge</c>, <c>$retainKeys</c>,
/// <c>$deleteFromPrimitiveList/</c> and ignores <c>$setElementOrder/</c>.
/// </summary>
internal static class StrategicMergePatch
{
    public static JsonObject Apply(JsonObject original, JsonObject patch)
    {
        var result = JsonTools.CloneObject(original);
        return MergeMap(result, patch) ?? new JsonObject();
    }

    /// <summary>Merges <paramref name="patch"/> into <paramref name="target"/> in place; null means "delete this map".</summary>
    private static JsonObject? MergeMap(JsonObject target, JsonObject patch)
    {
        switch (JsonTools.GetString(patch, "$patch"))
        {
            case "replace":
                return Clean(patch);
            case "delete":
                return null;
            case null or "merge":
                break;
            default:
                throw ApiErrors.BadRequest($"Unexpected $patch directive: {JsonTools.GetString(patch, "$patch")}");
        }

        if (patch["$retainKeys"] is JsonArray retain)
        {
            var keep = retain.Select(n => n?.GetValue<string>()).ToHashSet(StringComparer.Ordinal);
            foreach (var key in target.Select(p => p.Key).Where(k => !keep.Contains(k)).ToList())
            {
                target.Remove(key);
            }
        }

        foreach (var (key, value) in patch)
        {
            if (key is "$patch" or "$retainKeys" || key.StartsWith("$setElementOrder/", StringComparison.Ordinal))
            {
                continue;
            }

            if (key.StartsWith("$deleteFromPrimitiveList/", StringComparison.Ordinal))
            {
                var field = key["$deleteFromPrimitiveList/".Length..];
                if (target[field] is JsonArray list && value is JsonArray remove)
                {
                    foreach (var item in list.Where(i => remove.Any(r => JsonNode.DeepEquals(r, i))).ToList())
                    {
                        list.Remove(item);
                    }
                }

                continue;
            }

            switch (value)
            {
                case null:
                    target.Remove(key);
                    break;
                case JsonObject child when target[key] is JsonObject existing:
                    var merged = MergeMap(existing, child);
                    if (merged is null)
                    {
                        target.Remove(key);
                    }
                    else if (!ReferenceEquals(merged, existing))
                    {
                        target[key] = merged;
                    }

                    break;
                case JsonObject child:
                    if (JsonTools.GetString(child, "$patch") == "delete")
                    {
                        target.Remove(key);
                    }
                    else
                    {
                        target[key] = Clean(child);
                    }

                    break;
                case JsonArray items:
                    target[key] = MergeList(key, target[key] as JsonArray, items);
                    break;
                default:
                    target[key] = value.DeepClone();
                    break;
            }
        }

        return target;
    }

    private static JsonArray MergeList(string field, JsonArray? original, JsonArray patch)
    {
        if (patch.Any(i => i is JsonObject o && o.Count == 1 && JsonTools.GetString(o, "$patch") == "replace"))
        {
            return new JsonArray(patch.Where(i => !(i is JsonObject o && o.Count == 1 && o.ContainsKey("$patch"))).Select(Clean).ToArray());
        }

        if (MergeKeys.IsPrimitiveSet(field))
        {
            var union = original is null ? new JsonArray() : (JsonArray)original.DeepClone();
            foreach (var item in patch.Where(i => !union.Any(u => JsonNode.DeepEquals(u, i))))
            {
                union.Add(item?.DeepClone());
            }

            return union;
        }

        var key = MergeKeys.KeyFor(field, original, patch);
        if (key is null)
        {
            return new JsonArray(patch.Select(Clean).ToArray());
        }

        var result = original is null ? new JsonArray() : (JsonArray)original.DeepClone();
        foreach (var item in patch)
        {
            if (item is not JsonObject patchItem)
            {
                throw ApiErrors.BadRequest($"map: {JsonTools.Serialize(item)} does not contain declared merge key: {key}");
            }

            var keyValue = patchItem[key] ?? throw ApiErrors.BadRequest($"map: {JsonTools.Serialize(item)} does not contain declared merge key: {key}");
            var index = IndexOf(result, key, keyValue);
            if (JsonTools.GetString(patchItem, "$patch") == "delete")
            {
                if (index >= 0)
                {
                    result.RemoveAt(index);
                }

                continue;
            }

            if (index < 0)
            {
                result.Add(Clean(patchItem));
                continue;
            }

            var existing = (JsonObject)result[index]!;
            var merged = MergeMap(existing, patchItem);
            if (merged is null)
            {
                result.RemoveAt(index);
            }
            else if (!ReferenceEquals(merged, existing))
            {
                result[index] = merged;
            }
        }

        return result;
    }

    private static int IndexOf(JsonArray items, string key, JsonNode keyValue)
    {
        for (var i = 0; i < items.Count; i++)
        {
            if (items[i] is JsonObject o && JsonNode.DeepEquals(o[key], keyValue))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>A copy without patch directives, for values that are inserted rather than merged.</summary>
    private static JsonNode? Clean(JsonNode? node) => node switch
    {
        JsonObject obj => Clean(obj),
        JsonArray array => new JsonArray(array.Select(Clean).ToArray()),
        _ => node?.DeepClone(),
    };

    private static JsonObject Clean(JsonObject obj)
    {
        var copy = new JsonObject();
        foreach (var (key, value) in obj)
        {
            if (key.StartsWith('$'))
            {
                continue;
            }

            copy[key] = Clean(value);
        }

        return copy;
    }
}
