using System.Text.Json.Nodes;

namespace Canary.Testing.Kubernetes;

/// <summary>
/// Field ownership (<c>metadata.managedFields</c>): updates take the fields they change, server-side apply owns
/// what it sends, conflicts with other owners are 409 unless forced, and fields an applier stops sending are removed
/// when nobody else owns them.
/// </summary>
internal static class ManagedFields
{
    /// <summary>Records a non-apply write (create, update, patch) by <paramref name="manager"/> into <paramref name="after"/>.</summary>
    public static void RecordUpdate(ApiResource resource, JsonObject? before, JsonObject after, string manager, string? subresource, string time)
    {
        var scope = FieldPaths.ScopeFor(resource, subresource);
        var entries = Read(before ?? after);
        var builtIn = !resource.IsCustom;
        var afterPaths = FieldPaths.Collect(after, scope, builtIn);
        var beforePaths = before is null ? new HashSet<string>(StringComparer.Ordinal) : FieldPaths.Collect(before, scope, builtIn);
        var changed = afterPaths.Where(p => !beforePaths.Contains(p) || !SameValue(before!, after, p)).ToHashSet(StringComparer.Ordinal);
        var removed = beforePaths.Where(p => !afterPaths.Contains(p)).ToHashSet(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            entry.Fields.ExceptWith(changed);
            entry.Fields.ExceptWith(removed);
        }

        if (changed.Count > 0)
        {
            var mine = entries.FirstOrDefault(e => e.Manager == manager && e.Operation == "Update" && e.Subresource == subresource);
            if (mine is null)
            {
                mine = new Entry(manager, "Update", subresource, resource.ApiVersion, time, new HashSet<string>(StringComparer.Ordinal));
                entries.Add(mine);
            }

            mine.Fields.UnionWith(changed);
            mine.Time = time;
            mine.ApiVersion = resource.ApiVersion;
        }

        Write(after, entries);
    }

    /// <summary>
    /// Server-side apply of <paramref name="applied"/> onto <paramref name="live"/> (null when creating).
    /// Returns the merged object with updated managedFields; throws a 409 FieldManagerConflict Status unless forced.
    /// </summary>
    public static JsonObject Apply(ApiResource resource, JsonObject? live, JsonObject applied, string manager, bool force, string? subresource, string time)
    {
        var scope = FieldPaths.ScopeFor(resource, subresource);
        var builtIn = !resource.IsCustom;
        var entries = live is null ? [] : Read(live);
        var appliedPaths = FieldPaths.Collect(applied, scope, builtIn);
        var mine = entries.FirstOrDefault(e => e.Manager == manager && e.Operation == "Apply" && e.Subresource == subresource);
        var others = entries.Where(e => !ReferenceEquals(e, mine) && e.Manager != manager).ToList();

        if (live is not null)
        {
            var conflicts = new List<(Entry Owner, string Path)>();
            foreach (var path in appliedPaths.Where(p => !FieldPaths.IsItem(p)).Order(StringComparer.Ordinal))
            {
                var current = FieldPaths.ValueAt(live, path, out var exists);
                if (!exists || JsonNode.DeepEquals(current, FieldPaths.ValueAt(applied, path, out _)))
                {
                    continue;
                }

                conflicts.AddRange(others.Where(o => o.Fields.Contains(path)).Select(o => (o, path)));
            }

            if (conflicts.Count > 0 && !force)
            {
                throw ConflictError(conflicts);
            }

            foreach (var (owner, path) in conflicts)
            {
                owner.Fields.Remove(path);
            }
        }

        var result = live is null ? new JsonObject() : JsonTools.CloneObject(live);
        if (mine is not null)
        {
            var dropped = mine.Fields.Where(p => !appliedPaths.Contains(p)).OrderByDescending(p => p.Length).ToList();
            foreach (var path in dropped)
            {
                var ownedElsewhere = others.Any(o => o.Fields.Contains(path) || o.Fields.Any(f => FieldPaths.IsAncestor(path, f)));
                if (!ownedElsewhere)
                {
                    FieldPaths.Remove(result, path);
                }
            }
        }

        foreach (var (key, value) in applied)
        {
            if (key is "apiVersion" or "kind" || !FieldPaths.InScope(key, scope))
            {
                continue;
            }

            result[key] = Merge(result[key], value, key, builtIn);
        }

        if (mine is null)
        {
            mine = new Entry(manager, "Apply", subresource, resource.ApiVersion, time, new HashSet<string>(StringComparer.Ordinal));
            entries.Add(mine);
        }

        mine.Fields.Clear();
        mine.Fields.UnionWith(appliedPaths);
        mine.Time = time;
        mine.ApiVersion = resource.ApiVersion;
        Write(result, entries);
        return result;
    }

    /// <summary>Merges an applied value into a live one: maps by key, keyed lists by item, everything else replaced.</summary>
    private static JsonNode? Merge(JsonNode? live, JsonNode? applied, string field, bool builtIn)
    {
        switch (applied)
        {
            case JsonObject appliedObject when live is JsonObject liveObject:
                var merged = JsonTools.CloneObject(liveObject);
                foreach (var (key, value) in appliedObject)
                {
                    merged[key] = Merge(merged[key], value, key, builtIn);
                }

                return merged;
            case JsonArray appliedArray when builtIn && live is JsonArray liveArray && MergeKeys.KeyFor(field, liveArray, appliedArray) is { } key
                && appliedArray.All(i => i is JsonObject o && o[key] is not null):
                var result = (JsonArray)liveArray.DeepClone();
                foreach (var item in appliedArray.Cast<JsonObject>())
                {
                    var index = -1;
                    for (var i = 0; i < result.Count; i++)
                    {
                        if (result[i] is JsonObject existing && JsonNode.DeepEquals(existing[key], item[key]))
                        {
                            index = i;
                            break;
                        }
                    }

                    if (index < 0)
                    {
                        result.Add(item.DeepClone());
                    }
                    else
                    {
                        result[index] = Merge(result[index], item, field, builtIn);
                    }
                }

                return result;
            case JsonArray appliedSet when builtIn && live is JsonArray liveSet && MergeKeys.IsPrimitiveSet(field):
                var union = (JsonArray)liveSet.DeepClone();
                foreach (var item in appliedSet.Where(i => !union.Any(u => JsonNode.DeepEquals(u, i))))
                {
                    union.Add(item?.DeepClone());
                }

                return union;
            default:
                return applied?.DeepClone();
        }
    }

    private static KubernetesStatusException ConflictError(List<(Entry Owner, string Path)> conflicts)
    {
        var causes = new JsonArray();
        foreach (var (owner, path) in conflicts)
        {
            causes.Add(new JsonObject
            {
                ["reason"] = "FieldManagerConflict",
                ["message"] = "conflict with " + Describe(owner),
                ["field"] = FieldPaths.Display(path),
            });
        }

        string message;
        if (conflicts.Count == 1)
        {
            message = $"Apply failed with 1 conflict: conflict with {Describe(conflicts[0].Owner)}: {FieldPaths.Display(conflicts[0].Path)}";
        }
        else
        {
            var lines = conflicts.GroupBy(c => Describe(c.Owner)).OrderBy(g => g.Key, StringComparer.Ordinal)
                .SelectMany(g => new[] { $"conflicts with {g.Key}:" }.Concat(g.Select(c => "- " + FieldPaths.Display(c.Path))));
            message = $"Apply failed with {conflicts.Count} conflicts: {string.Join("\n", lines)}";
        }

        return new KubernetesStatusException(ApiErrors.Status(409, "Conflict", message, new JsonObject { ["causes"] = causes }));
    }

    private static string Describe(Entry entry)
    {
        var text = $"\"{entry.Manager}\"";
        if (entry.Subresource is not null)
        {
            text += $" with subresource \"{entry.Subresource}\"";
        }

        return entry.Operation == "Update" ? $"{text} using {entry.ApiVersion}" : text;
    }

    private static bool SameValue(JsonObject before, JsonObject after, string path) =>
        FieldPaths.IsItem(path) || JsonNode.DeepEquals(FieldPaths.ValueAt(before, path, out _), FieldPaths.ValueAt(after, path, out _));

    private static List<Entry> Read(JsonObject obj)
    {
        var entries = new List<Entry>();
        if (obj["metadata"]?["managedFields"] is not JsonArray array)
        {
            return entries;
        }

        foreach (var item in array.OfType<JsonObject>())
        {
            entries.Add(new Entry(
                JsonTools.GetString(item, "manager") ?? string.Empty,
                JsonTools.GetString(item, "operation") ?? "Update",
                JsonTools.GetString(item, "subresource"),
                JsonTools.GetString(item, "apiVersion") ?? string.Empty,
                JsonTools.GetString(item, "time"),
                FieldPaths.FromFieldsV1(item["fieldsV1"])));
        }

        return entries;
    }

    private static void Write(JsonObject obj, List<Entry> entries)
    {
        var array = new JsonArray();
        foreach (var entry in entries.Where(e => e.Fields.Count > 0))
        {
            var item = new JsonObject
            {
                ["manager"] = entry.Manager,
                ["operation"] = entry.Operation,
                ["apiVersion"] = entry.ApiVersion,
            };
            if (entry.Time is not null)
            {
                item["time"] = entry.Time;
            }

            item["fieldsType"] = "FieldsV1";
            item["fieldsV1"] = FieldPaths.ToFieldsV1(entry.Fields);
            if (entry.Subresource is not null)
            {
                item["subresource"] = entry.Subresource;
            }

            array.Add(item);
        }

        var metadata = JsonTools.Metadata(obj);
        if (array.Count == 0)
        {
            metadata.Remove("managedFields");
        }
        else
        {
            metadata["managedFields"] = array;
        }
    }

    private sealed class Entry(string manager, string operation, string? subresource, string apiVersion, string? time, HashSet<string> fields)
    {
        public string Manager { get; } = manager;

        public string Operation { get; } = operation;

        public string? Subresource { get; } = subresource;

        public string ApiVersion { get; set; } = apiVersion;

        public string? Time { get; set; } = time;

        public HashSet<string> Fields { get; } = fields;
    }
}
