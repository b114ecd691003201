using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Canary.Testing.Kubernetes;

/// <summary>
/// The API semantics over the store: create, get, list, update, the four patch types, delete with finalizers,
/// propagation and garbage collection, the status and scale subresources, generation and field ownership.
/// </summary>
internal sealed partial class ResourceOperations
{
    private const string NameAlphabet = "bcdfghjklmnpqrstvwxz2456789";

    private const string ContinueExpiredMessage =
        "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, "
        + "or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an "
        + "inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.";

    private readonly TimeProvider _time;
    private int _nextClusterIp = 10;

    public ResourceOperations(ResourceCatalog catalog, ObjectStore store, TimeProvider time)
    {
        Catalog = catalog;
        Store = store;
        _time = time;
    }

    /// <summary>Raised after each operation, outside the store lock, with the events it committed.</summary>
    public event Action<IReadOnlyList<StoreEvent>>? Committed;

    public ResourceCatalog Catalog { get; }

    public ObjectStore Store { get; }

    public static IReadOnlyList<string> PatchTypesFor(ApiResource resource) => resource.IsCustom
        ? ["application/json-patch+json", "application/merge-patch+json", "application/apply-patch+yaml"]
        : ["application/json-patch+json", "application/merge-patch+json", "application/strategic-merge-patch+json", "application/apply-patch+yaml"];

    public JsonObject Get(ApiResource resource, string @namespace, string name)
    {
        lock (Store.Gate)
        {
            var obj = Store.Get(resource, @namespace, name) ?? throw ApiErrors.NotFound(resource, name);
            return Present(resource, obj);
        }
    }

    public JsonObject? TryGet(ApiResource resource, string @namespace, string name)
    {
        lock (Store.Gate)
        {
            var obj = Store.Get(resource, @namespace, name);
            return obj is null ? null : Present(resource, obj);
        }
    }

    public JsonObject List(ApiResource resource, string? @namespace, ListQuery query)
    {
        lock (Store.Gate)
        {
            IEnumerable<KeyValuePair<string, JsonObject>> items;
            long listRevision;
            string? startAfter = null;
            if (!string.IsNullOrEmpty(query.Continue))
            {
                (listRevision, startAfter) = DecodeContinue(query.Continue);
                items = Store.ItemsAt(resource, listRevision)
                    ?? throw new KubernetesStatusException(ApiErrors.Status(410, "Expired", ContinueExpiredMessage));
            }
            else if (query.ResourceVersionMatch == "Exact" && long.TryParse(query.ResourceVersion, NumberStyles.None, CultureInfo.InvariantCulture, out var exact))
            {
                listRevision = exact;
                items = Store.ItemsAt(resource, exact)
                    ?? throw new KubernetesStatusException(ApiErrors.Status(410, "Expired", $"too old resource version: {exact} ({Store.CompactedThrough + 1})"));
            }
            else
            {
                listRevision = Store.Revision;
                items = Store.Items(resource, null);
            }

            var matching = items
                .Where(p => @namespace is null || p.Key.StartsWith(@namespace + "/", StringComparison.Ordinal))
                .Where(p => startAfter is null || string.CompareOrdinal(p.Key, startAfter) > 0)
                .Where(p => query.Labels.Matches(JsonTools.StringMap(p.Value["metadata"]?["labels"])) && query.Fields.Matches(p.Value))
                .ToList();
            var page = query.Limit > 0 ? matching.Take(query.Limit).ToList() : matching;
            var metadata = new JsonObject { ["resourceVersion"] = ObjectStore.FormatRevision(listRevision) };
            if (page.Count < matching.Count)
            {
                metadata["continue"] = EncodeContinue(listRevision, page[^1].Key);
                if (query.Labels.IsEmpty && query.Fields.IsEmpty)
                {
                    metadata["remainingItemCount"] = matching.Count - page.Count;
                }
            }

            var array = new JsonArray();
            foreach (var (_, obj) in page)
            {
                var item = Present(resource, obj);
                if (!resource.IsCustom)
                {
                    item.Remove("kind");
                    item.Remove("apiVersion");
                }

                array.Add(item);
            }

            return new JsonObject
            {
                ["kind"] = resource.Kind + "List",
                ["apiVersion"] = resource.ApiVersion,
                ["metadata"] = metadata,
                ["items"] = array,
            };
        }
    }

    public (JsonObject Object, int Code) Create(WriteRequest request, JsonNode? body) =>
        Write(() =>
        {
            var obj = Decode(request.Resource, body);
            return (CreateLocked(request, obj, recordFields: true), 201);
        });

    public (JsonObject Object, int Code) Update(WriteRequest request, JsonNode? body) =>
        Write(() =>
        {
            var resource = request.Resource;
            var proposed = Decode(resource, body);
            var name = JsonTools.Name(proposed);
            if (name != request.Name)
            {
                throw ApiErrors.BadRequest($"the name of the object ({name}) does not match the name on the URL ({request.Name})");
            }

            CheckNamespace(request, proposed);
            var current = Store.Get(resource, request.NamespaceOrEmpty, request.Name!);
            var resourceVersion = JsonTools.ResourceVersion(proposed);
            if (current is null)
            {
                if (!resource.AllowCreateOnUpdate || request.Subresource is not null || resourceVersion.Length > 0)
                {
                    throw ApiErrors.NotFound(resource, request.Name!);
                }

                return (CreateLocked(request, proposed, recordFields: true), 201);
            }

            if (resourceVersion.Length == 0 && resource.RequiresResourceVersionOnUpdate)
            {
                throw ApiErrors.Invalid(resource, name, ("FieldValueInvalid", "metadata.resourceVersion", "Invalid value: 0x0: must be specified for an update"));
            }

            if (resourceVersion.Length > 0 && resourceVersion != JsonTools.ResourceVersion(current))
            {
                throw ApiErrors.StaleResourceVersion(resource, name);
            }

            return (CommitUpdate(request, current, proposed, fieldsDone: false), 200);
        });

    public (JsonObject Object, int Code) Patch(WriteRequest request, string contentType, string body) =>
        Write(() =>
        {
            var resource = request.Resource;
            var patchType = contentType.Split(';')[0].Trim().ToLowerInvariant();
            if (!PatchTypesFor(resource).Contains(patchType))
            {
                throw ApiErrors.UnsupportedMediaType(PatchTypesFor(resource));
            }

            var isApply = patchType == "application/apply-patch+yaml";
            if (!isApply && request.ForceSpecified)
            {
                throw ApiErrors.InvalidOptions("PatchOptions.meta.k8s.io", "PatchOptions", "meta.k8s.io", "force", "FieldValueForbidden", "Forbidden: may not be specified for non-apply patch");
            }

            if (isApply)
            {
                if (!request.FieldManagerSpecified || request.FieldManager.Length == 0)
                {
                    throw ApiErrors.InvalidOptions("PatchOptions.meta.k8s.io", "PatchOptions", "meta.k8s.io", "fieldManager", "FieldValueRequired", "Required value: is required for apply patch");
                }

                return ApplyLocked(request, body);
            }

            JsonNode? patch;
            try
            {
                patch = JsonTools.Parse(body);
            }
            catch (System.Text.Json.JsonException e)
            {
                throw ApiErrors.BadRequest("error decoding patch: " + e.Message);
            }

            var current = Store.Get(resource, request.NamespaceOrEmpty, request.Name!) ?? throw ApiErrors.NotFound(resource, request.Name!);
            var original = Present(resource, current);
            JsonNode? patched = patchType switch
            {
                "application/json-patch+json" => JsonPatch.Apply(original, patch),
                "application/merge-patch+json" => patch is JsonObject ? JsonMergePatch.Apply(original, patch) : throw ApiErrors.BadRequest("error decoding patch: a merge patch must be a JSON object"),
                _ => patch is JsonObject smp ? StrategicMergePatch.Apply(original, smp) : throw ApiErrors.BadRequest("error decoding patch: a strategic merge patch must be a JSON object"),
            };
            var proposed = Decode(resource, patched);
            CheckPatchedIdentity(request, current, proposed);
            return (CommitUpdate(request, current, proposed, fieldsDone: false), 200);
        });

    public (JsonObject Object, int Code) Delete(WriteRequest request, JsonObject? options, string? propagationQuery) =>
        Write(() =>
        {
            var resource = request.Resource;
            var current = Store.Get(resource, request.NamespaceOrEmpty, request.Name!) ?? throw ApiErrors.NotFound(resource, request.Name!);
            CheckPreconditions(resource, current, options?["preconditions"] as JsonObject);
            var policy = propagationQuery ?? JsonTools.GetString(options, "propagationPolicy");
            if (policy is null && options?["orphanDependents"] is JsonValue orphan && orphan.TryGetValue<bool>(out var orphanFlag))
            {
                policy = orphanFlag ? "Orphan" : "Background";
            }

            policy ??= "Background";
            if (policy is not ("Orphan" or "Background" or "Foreground"))
            {
                throw ApiErrors.InvalidOptions("DeleteOptions.meta.k8s.io", "DeleteOptions", "meta.k8s.io", "propagationPolicy", "FieldValueNotSupported",
                    $"Unsupported value: \"{policy}\": supported values: \"Foreground\", \"Background\", \"Orphan\"");
            }

            if (request.DryRun)
            {
                return (Present(resource, current), 200);
            }

            var result = DeleteLocked(resource, current, policy);
            return (result, 200);
        });

    public JsonObject DeleteCollection(WriteRequest request, ListQuery query, string? propagationQuery)
    {
        var list = List(request.Resource, request.Namespace, query with { Limit = 0, Continue = null });
        var deleted = new JsonArray();
        foreach (var item in list["items"]!.AsArray().OfType<JsonObject>())
        {
            var name = JsonTools.Name(item);
            var @namespace = JsonTools.Namespace(item);
            try
            {
                var (obj, _) = Delete(request with { Namespace = @namespace.Length == 0 ? null : @namespace, Name = name }, null, propagationQuery);
                if (obj["kind"]?.GetValue<string>() != "Status")
                {
                    deleted.Add(obj);
                }
                else
                {
                    deleted.Add(item.DeepClone());
                }
            }
            catch (KubernetesStatusException e) when (e.Code == 404)
            {
                // Removed meanwhile (garbage collection of an earlier item): nothing left to do.
            }
        }

        list["items"] = deleted;
        list["metadata"] = new JsonObject { ["resourceVersion"] = ObjectStore.FormatRevision(Store.Revision) };
        return list;
    }

    public JsonObject GetScale(ApiResource resource, string @namespace, string name) => ScaleOf(Get(resource, @namespace, name));

    /// <summary>PUT or PATCH of <c>/scale</c>: computes the new Scale and writes its replicas into the owner's spec.</summary>
    public (JsonObject Object, int Code) WriteScale(WriteRequest request, Func<JsonObject, JsonNode?> change) =>
        Write(() =>
        {
            var resource = request.Resource;
            var current = Store.Get(resource, request.NamespaceOrEmpty, request.Name!) ?? throw ApiErrors.NotFound(resource, request.Name!);
            var scale = ScaleOf(Present(resource, current));
            if (change(scale) is not JsonObject updated)
            {
                throw ApiErrors.BadRequest("Scale in version \"v1\" cannot be handled as a Scale: the body must be a JSON object");
            }

            var resourceVersion = JsonTools.MetaString(updated, "resourceVersion") ?? string.Empty;
            if (resourceVersion.Length > 0 && resourceVersion != JsonTools.ResourceVersion(current))
            {
                throw ApiErrors.StaleResourceVersion(resource, request.Name!);
            }

            var replicas = JsonTools.GetInt64(updated["spec"]?["replicas"]);
            if (replicas is null or < 0)
            {
                throw ApiErrors.Invalid(resource, request.Name!, ("FieldValueInvalid", "spec.replicas", $"Invalid value: {replicas ?? 0}: must be greater than or equal to 0"));
            }

            var proposed = Present(resource, current);
            ((JsonObject)(proposed["spec"] ??= new JsonObject()))["replicas"] = replicas.Value;
            var written = CommitUpdate(request with { Subresource = null }, current, proposed, fieldsDone: false);
            return (ScaleOf(written), 200);
        });

    /// <summary>Creates or replaces an object directly (test seeding): no preconditions, status kept, namespace created on demand.</summary>
    public JsonObject Seed(JsonObject input)
    {
        var apiVersion = JsonTools.GetString(input, "apiVersion") ?? throw new ArgumentException("The object has no apiVersion.", nameof(input));
        var kind = JsonTools.GetString(input, "kind") ?? throw new ArgumentException("The object has no kind.", nameof(input));
        var resource = Catalog.FindByKind(apiVersion, kind)
            ?? throw new ArgumentException($"The fake API server does not serve {kind} in {apiVersion}; register it first.", nameof(input));
        var name = JsonTools.MetaString(input, "name");
        if (string.IsNullOrEmpty(name))
        {
            throw new ArgumentException("The object has no metadata.name.", nameof(input));
        }

        var @namespace = resource.Namespaced ? JsonTools.MetaString(input, "namespace") ?? "default" : string.Empty;
        if (resource.Namespaced)
        {
            EnsureNamespace(@namespace);
        }

        // Round-trip through text so that the stored nodes look exactly like parsed request bodies.
        var normalized = JsonTools.Parse(JsonTools.Serialize(input));
        return Write(() =>
        {
            var obj = Decode(resource, normalized);
            var metadata = JsonTools.Metadata(obj);
            if (resource.Namespaced)
            {
                metadata["namespace"] = @namespace;
            }

            var current = Store.Get(resource, @namespace, name);
            metadata["uid"] ??= current is null ? NewUid() : JsonTools.Uid(current);
            metadata["creationTimestamp"] ??= current?["metadata"]?["creationTimestamp"]?.DeepClone() ?? JsonTools.FormatTime(_time.GetUtcNow());
            if (resource.TracksGeneration && metadata["generation"] is null)
            {
                var generation = JsonTools.GetInt64(current?["metadata"]?["generation"]) ?? 0;
                metadata["generation"] = current is null || SpecChanged(resource, current, obj) ? generation + 1 : generation;
            }

            ApplyDefaults(resource, obj, current);
            return Present(resource, Store.Put(resource, obj, current));
        });
    }

    public void EnsureNamespace(string name)
    {
        var namespaces = Catalog.Find(string.Empty, "v1", "namespaces")!;
        Write(() =>
        {
            if (Store.Get(namespaces, string.Empty, name) is null)
            {
                var request = new WriteRequest(namespaces, null, name, null, "kube-apiserver");
                CreateLocked(request, Decode(namespaces, new JsonObject { ["metadata"] = new JsonObject { ["name"] = name } }), recordFields: false);
            }

            return 0;
        });
    }

    /// <summary>Deletes directly (test seeding); returns false when the object does not exist.</summary>
    public bool Remove(ApiResource resource, string @namespace, string name) =>
        Write(() =>
        {
            var current = Store.Get(resource, @namespace, name);
            if (current is null)
            {
                return false;
            }

            DeleteLocked(resource, current, "Background");
            return true;
        });

    /// <summary>
    /// A controller's status write: <paramref name="change"/> gets a copy of the current object and returns the new
    /// one (or null for no change); only status (and, for built-ins, annotations) are taken from it.
    /// </summary>
    public JsonObject? WriteStatus(ApiResource resource, string @namespace, string name, string manager, Func<JsonObject, JsonObject?> change) =>
        Write(() =>
        {
            var current = Store.Get(resource, @namespace, name);
            if (current is null || change(Present(resource, current)) is not { } proposed)
            {
                return null;
            }

            var request = new WriteRequest(resource, resource.Namespaced ? @namespace : null, name, "status", manager);
            return CommitUpdate(request, current, proposed, fieldsDone: false);
        });

    private T Write<T>(Func<T> action)
    {
        T result;
        List<StoreEvent> events;
        lock (Store.Gate)
        {
            var before = Store.Revision;
            result = action();
            events = Store.EventsSince(before);
        }

        if (events.Count > 0)
        {
            Committed?.Invoke(events);
        }

        return result;
    }

    private (JsonObject Object, int Code) ApplyLocked(WriteRequest request, string body)
    {
        var resource = request.Resource;
        var parsed = YamlJson.Parse(body);
        if (parsed is not JsonObject applied)
        {
            throw ApiErrors.BadRequest("error decoding YAML: the apply configuration must be an object");
        }

        var apiVersion = JsonTools.GetString(applied, "apiVersion");
        var kind = JsonTools.GetString(applied, "kind");
        if (string.IsNullOrEmpty(kind) || string.IsNullOrEmpty(apiVersion))
        {
            throw ApiErrors.BadRequest($"Object '{(string.IsNullOrEmpty(kind) ? "Kind" : "apiVersion")}' is missing in '{JsonTools.Serialize(applied)}'");
        }

        if (kind != resource.Kind || GroupOf(apiVersion) != resource.Group)
        {
            throw ApiErrors.BadRequest($"the object provided is of kind {kind} in {apiVersion}; expected {resource.Kind} in {resource.ApiVersion}");
        }

        ValidateTypes(resource, applied);
        var metadata = JsonTools.Metadata(applied);
        var name = JsonTools.MetaString(applied, "name");
        if (!string.IsNullOrEmpty(name) && name != request.Name)
        {
            throw ApiErrors.BadRequest($"the name of the object ({name}) does not match the name on the URL ({request.Name})");
        }

        metadata["name"] = request.Name;
        CheckNamespace(request, applied);
        if (metadata["managedFields"] is JsonArray { Count: > 0 })
        {
            throw ApiErrors.BadRequest("metadata.managedFields must be nil");
        }

        metadata.Remove("managedFields");
        var current = Store.Get(resource, request.NamespaceOrEmpty, request.Name!);
        var resourceVersion = JsonTools.MetaString(applied, "resourceVersion") ?? string.Empty;
        metadata.Remove("resourceVersion");
        if (resourceVersion.Length > 0 && (current is null || resourceVersion != JsonTools.ResourceVersion(current)))
        {
            throw current is null ? ApiErrors.NotFound(resource, request.Name!) : ApiErrors.StaleResourceVersion(resource, request.Name!);
        }

        var now = JsonTools.FormatTime(_time.GetUtcNow());
        if (current is null)
        {
            if (request.Subresource is not null)
            {
                throw ApiErrors.NotFound(resource, request.Name!);
            }

            var merged = ManagedFields.Apply(resource, null, applied, request.FieldManager, request.Force, null, now);
            merged["kind"] = resource.Kind;
            merged["apiVersion"] = resource.ApiVersion;
            var ordered = Decode(resource, merged);
            return (CreateLocked(request, ordered, recordFields: false), 201);
        }

        var live = Present(resource, current);
        var result = ManagedFields.Apply(resource, live, applied, request.FieldManager, request.Force, request.Subresource, now);
        return (CommitUpdate(request, current, result, fieldsDone: true), 200);
    }

    private JsonObject CreateLocked(WriteRequest request, JsonObject obj, bool recordFields)
    {
        var resource = request.Resource;
        if (request.Subresource is not null)
        {
            throw ApiErrors.MethodNotAllowed();
        }

        var metadata = JsonTools.Metadata(obj);
        var name = JsonTools.MetaString(obj, "name") ?? string.Empty;
        if (name.Length == 0)
        {
            var generateName = JsonTools.MetaString(obj, "generateName") ?? string.Empty;
            if (generateName.Length == 0)
            {
                throw ApiErrors.Invalid(resource, string.Empty, ("FieldValueRequired", "metadata.name", "Required value: name or generateName is required"));
            }

            name = generateName + RandomSuffix();
            metadata["name"] = name;
        }

        if (request.Name is not null && request.Name != name)
        {
            throw ApiErrors.BadRequest($"the name of the object ({name}) does not match the name on the URL ({request.Name})");
        }

        CheckNamespace(request, obj);
        if (resource.Namespaced)
        {
            if (request.Namespace is null)
            {
                throw ApiErrors.PathNotFound();
            }

            var namespaces = Catalog.Find(string.Empty, "v1", "namespaces")!;
            if (Store.Get(namespaces, string.Empty, request.Namespace) is null)
            {
                throw ApiErrors.NamespaceNotFound(request.Namespace);
            }
        }

        if ((JsonTools.MetaString(obj, "resourceVersion") ?? string.Empty).Length > 0)
        {
            throw ApiErrors.Unknown500("resourceVersion should not be set on objects to be created");
        }

        ValidateName(resource, name);
        var current = Store.Get(resource, request.NamespaceOrEmpty, name);
        if (current is not null)
        {
            throw ApiErrors.AlreadyExists(resource, name);
        }

        metadata.Remove("resourceVersion");
        metadata.Remove("deletionTimestamp");
        metadata.Remove("deletionGracePeriodSeconds");
        metadata.Remove("selfLink");
        metadata["uid"] = NewUid();
        metadata["creationTimestamp"] = JsonTools.FormatTime(_time.GetUtcNow());
        if (resource.TracksGeneration)
        {
            metadata["generation"] = 1;
        }
        else
        {
            metadata.Remove("generation");
        }

        if (recordFields)
        {
            metadata.Remove("managedFields");
        }

        InitialStatus(resource, obj);
        if (recordFields)
        {
            ManagedFields.RecordUpdate(resource, null, obj, request.FieldManager, null, JsonTools.FormatTime(_time.GetUtcNow()));
        }

        ApplyDefaults(resource, obj, null);
        if (request.DryRun)
        {
            return Present(resource, obj);
        }

        if (resource.Plural == "customresourcedefinitions" && resource.Group == "apiextensions.k8s.io")
        {
            RegisterDefinition(obj);
        }

        return Present(resource, Store.Put(resource, obj, null));
    }

    /// <summary>The shared tail of PUT, PATCH and apply: keeps what the write may not change, bumps generation, records ownership, commits.</summary>
    private JsonObject CommitUpdate(WriteRequest request, JsonObject current, JsonObject proposed, bool fieldsDone)
    {
        var resource = request.Resource;
        JsonObject final;
        if (request.Subresource == "status")
        {
            final = Present(resource, current);
            if (proposed["status"] is { } status)
            {
                final["status"] = status.DeepClone();
            }
            else
            {
                final.Remove("status");
            }

            if (!resource.IsCustom)
            {
                var annotations = proposed["metadata"]?["annotations"]?.DeepClone();
                var metadata = JsonTools.Metadata(final);
                if (annotations is null)
                {
                    metadata.Remove("annotations");
                }
                else
                {
                    metadata["annotations"] = annotations;
                }
            }

            if (fieldsDone)
            {
                JsonTools.Metadata(final)["managedFields"] = proposed["metadata"]?["managedFields"]?.DeepClone();
            }
        }
        else
        {
            final = JsonTools.CloneObject(proposed);
            if (resource.HasStatus)
            {
                if (current["status"] is { } status)
                {
                    final["status"] = status.DeepClone();
                }
                else
                {
                    final.Remove("status");
                }
            }
        }

        var finalMetadata = JsonTools.Metadata(final);
        var currentMetadata = (JsonObject)current["metadata"]!;
        foreach (var field in new[] { "name", "namespace", "uid", "creationTimestamp", "generation", "deletionTimestamp", "deletionGracePeriodSeconds" })
        {
            if (currentMetadata[field] is { } value)
            {
                finalMetadata[field] = value.DeepClone();
            }
            else
            {
                finalMetadata.Remove(field);
            }
        }

        finalMetadata["resourceVersion"] = JsonTools.ResourceVersion(current);
        if (!fieldsDone)
        {
            if (currentMetadata["managedFields"] is { } managed)
            {
                finalMetadata["managedFields"] = managed.DeepClone();
            }
            else
            {
                finalMetadata.Remove("managedFields");
            }
        }

        if (finalMetadata["managedFields"] is null)
        {
            finalMetadata.Remove("managedFields");
        }

        ValidateTypes(resource, final);
        ApplyDefaults(resource, final, current);
        if (resource.TracksGeneration && request.Subresource is null && SpecChanged(resource, current, final))
        {
            finalMetadata["generation"] = (JsonTools.GetInt64(currentMetadata["generation"]) ?? 0) + 1;
        }

        if (!fieldsDone)
        {
            ManagedFields.RecordUpdate(resource, current, final, request.FieldManager, request.Subresource, JsonTools.FormatTime(_time.GetUtcNow()));
        }

        if (JsonTools.Equal(WithoutVolatile(current), WithoutVolatile(final)) || request.DryRun)
        {
            return Present(resource, request.DryRun ? final : current);
        }

        if (currentMetadata["deletionTimestamp"] is not null && (final["metadata"]?["finalizers"] as JsonArray ?? []).Count == 0)
        {
            var gone = Store.Remove(resource, current);
            CollectGarbage(JsonTools.Uid(current));
            return Present(resource, gone);
        }

        return Present(resource, Store.Put(resource, final, current));
    }

    private JsonObject DeleteLocked(ApiResource resource, JsonObject current, string policy)
    {
        var uid = JsonTools.Uid(current);
        if (current["metadata"]?["deletionTimestamp"] is not null)
        {
            return Present(resource, current);
        }

        if (policy == "Orphan")
        {
            Orphan(uid);
        }

        if (policy == "Foreground")
        {
            DeleteDependents(uid);
        }

        var finalizers = current["metadata"]?["finalizers"] as JsonArray ?? [];
        if (finalizers.Count > 0)
        {
            var marked = JsonTools.CloneObject(current);
            var metadata = JsonTools.Metadata(marked);
            metadata["deletionTimestamp"] = JsonTools.FormatTime(_time.GetUtcNow());
            metadata["deletionGracePeriodSeconds"] = 0;
            return Present(resource, Store.Put(resource, marked, current));
        }

        if (resource.Plural == "namespaces" && resource.Group.Length == 0)
        {
            DeleteNamespaceContents(JsonTools.Name(current));
        }

        if (resource.Plural == "customresourcedefinitions" && resource.Group == "apiextensions.k8s.io")
        {
            UnregisterDefinition(current);
        }

        var last = Store.Remove(resource, current);
        CollectGarbage(uid);
        if (!resource.ReturnDeletedObject)
        {
            return ApiErrors.Success(resource, JsonTools.Name(current), uid);
        }

        var shown = Present(resource, last);
        if (resource.Plural == "namespaces")
        {
            JsonTools.Metadata(shown)["deletionTimestamp"] = JsonTools.FormatTime(_time.GetUtcNow());
            shown["status"] = new JsonObject { ["phase"] = "Terminating" };
        }

        return shown;
    }

    /// <summary>Background garbage collection: deletes dependents none of whose owners exist any more, transitively.</summary>
    private void CollectGarbage(string deletedUid)
    {
        var pending = new Queue<string>();
        pending.Enqueue(deletedUid);
        while (pending.TryDequeue(out var uid))
        {
            foreach (var (resource, obj) in Store.AllObjects(Catalog.All))
            {
                var owners = OwnerUids(obj);
                if (owners.Count == 0 || !owners.Contains(uid) || owners.Any(Store.UidExists))
                {
                    continue;
                }

                var current = Store.Get(resource, JsonTools.Namespace(obj), JsonTools.Name(obj));
                if (current is null || current["metadata"]?["deletionTimestamp"] is not null)
                {
                    continue;
                }

                DeleteLocked(resource, current, "Background");
                pending.Enqueue(JsonTools.Uid(obj));
            }
        }
    }

    private void DeleteDependents(string uid)
    {
        foreach (var (resource, obj) in Store.AllObjects(Catalog.All))
        {
            if (OwnerUids(obj).Contains(uid) && Store.Get(resource, JsonTools.Namespace(obj), JsonTools.Name(obj)) is { } dependent)
            {
                DeleteLocked(resource, dependent, "Foreground");
            }
        }
    }

    private void Orphan(string uid)
    {
        foreach (var (resource, obj) in Store.AllObjects(Catalog.All))
        {
            if (!OwnerUids(obj).Contains(uid))
            {
                continue;
            }

            var updated = JsonTools.CloneObject(obj);
            var references = (JsonArray)updated["metadata"]!["ownerReferences"]!;
            foreach (var reference in references.Where(r => JsonTools.GetString(r, "uid") == uid).ToList())
            {
                references.Remove(reference);
            }

            if (references.Count == 0)
            {
                JsonTools.Metadata(updated).Remove("ownerReferences");
            }

            Store.Put(resource, updated, obj);
        }
    }

    private void DeleteNamespaceContents(string @namespace)
    {
        foreach (var (resource, obj) in Store.AllObjects(Catalog.All))
        {
            if (resource.Namespaced && JsonTools.Namespace(obj) == @namespace && Store.Get(resource, @namespace, JsonTools.Name(obj)) is { } current)
            {
                var last = Store.Remove(resource, current);
                CollectGarbage(JsonTools.Uid(last));
            }
        }
    }

    private static List<string> OwnerUids(JsonObject obj) =>
        (obj["metadata"]?["ownerReferences"] as JsonArray ?? []).Select(r => JsonTools.GetString(r, "uid")).OfType<string>().ToList();

    private void RegisterDefinition(JsonObject crd)
    {
        var spec = crd["spec"] as JsonObject;
        var group = JsonTools.GetString(spec, "group");
        var names = spec?["names"] as JsonObject;
        var plural = JsonTools.GetString(names, "plural");
        var kind = JsonTools.GetString(names, "kind");
        if (group is null || plural is null || kind is null || spec!["versions"] is not JsonArray versions)
        {
            throw ApiErrors.Invalid(Catalog.Find("apiextensions.k8s.io", "v1", "customresourcedefinitions")!, JsonTools.Name(crd),
                ("FieldValueRequired", "spec", "Required value: group, names.plural, names.kind and versions are required"));
        }

        var shortNames = (names!["shortNames"] as JsonArray ?? []).Select(n => n?.GetValue<string>()).OfType<string>().ToList();
        foreach (var version in versions.OfType<JsonObject>().Where(v => v["served"] is null || JsonTools.GetBool(v["served"])))
        {
            Catalog.Register(new ApiResource
            {
                Group = group,
                Version = JsonTools.GetString(version, "name") ?? "v1",
                Plural = plural,
                Kind = kind,
                Namespaced = JsonTools.GetString(spec, "scope") != "Cluster",
                HasStatus = version["subresources"]?["status"] is not null,
                IsCustom = true,
                TracksGeneration = true,
                RequiresResourceVersionOnUpdate = true,
                ShortNames = shortNames,
                PrinterColumns = PrinterColumns(version),
            });
        }

        var now = JsonTools.FormatTime(_time.GetUtcNow());
        crd["status"] = new JsonObject
        {
            ["conditions"] = new JsonArray(
                new JsonObject { ["type"] = "NamesAccepted", ["status"] = "True", ["lastTransitionTime"] = now, ["reason"] = "NoConflicts", ["message"] = "no conflicts found" },
                new JsonObject { ["type"] = "Established", ["status"] = "True", ["lastTransitionTime"] = now, ["reason"] = "InitialNamesAccepted", ["message"] = "the initial names have been accepted" }),
            ["acceptedNames"] = names.DeepClone(),
            ["storedVersions"] = new JsonArray(versions.OfType<JsonObject>().Where(v => JsonTools.GetBool(v["storage"])).Select(v => (JsonNode?)JsonTools.GetString(v, "name")).ToArray()),
        };
    }

    /// <summary>A CRD version's <c>additionalPrinterColumns</c>, defaulted to an Age column as the API server does.</summary>
    private static List<PrinterColumn> PrinterColumns(JsonObject version)
    {
        var columns = (version["additionalPrinterColumns"] as JsonArray ?? [])
            .OfType<JsonObject>()
            .Select(c => new PrinterColumn(
                JsonTools.GetString(c, "name") ?? string.Empty,
                JsonTools.GetString(c, "type") ?? "string",
                JsonTools.GetString(c, "jsonPath") ?? string.Empty,
                (int)(JsonTools.GetInt64(c["priority"]) ?? 0),
                JsonTools.GetString(c, "format") ?? string.Empty,
                JsonTools.GetString(c, "description") ?? string.Empty))
            .Where(c => c.Name.Length > 0 && c.JsonPath.Length > 0)
            .ToList();
        return columns.Count > 0 ? columns : [PrinterColumn.Age];
    }

    private void UnregisterDefinition(JsonObject crd)
    {
        var spec = crd["spec"] as JsonObject;
        var group = JsonTools.GetString(spec, "group") ?? string.Empty;
        var plural = JsonTools.GetString(spec?["names"], "plural") ?? string.Empty;
        var resources = Catalog.All.Where(r => r.IsCustom && r.Group == group && r.Plural == plural).ToList();
        if (resources.Count == 0)
        {
            return;
        }

        foreach (var (_, obj) in Store.Items(resources[0], null).ToList())
        {
            var last = Store.Remove(resources[0], obj);
            CollectGarbage(JsonTools.Uid(last));
        }

        foreach (var resource in resources)
        {
            Catalog.Unregister(resource.Group, resource.Version, resource.Plural);
        }
    }

    private static void CheckPreconditions(ApiResource resource, JsonObject current, JsonObject? preconditions)
    {
        var uid = JsonTools.GetString(preconditions, "uid");
        if (!string.IsNullOrEmpty(uid) && uid != JsonTools.Uid(current))
        {
            throw ApiErrors.Conflict(resource, JsonTools.Name(current), $"Precondition failed: UID in precondition: {uid}, UID in object meta: {JsonTools.Uid(current)}");
        }

        var resourceVersion = JsonTools.GetString(preconditions, "resourceVersion");
        if (!string.IsNullOrEmpty(resourceVersion) && resourceVersion != JsonTools.ResourceVersion(current))
        {
            throw ApiErrors.Conflict(resource, JsonTools.Name(current),
                $"Precondition failed: ResourceVersion in precondition: {resourceVersion}, ResourceVersion in object meta: {JsonTools.ResourceVersion(current)}");
        }
    }

    private static void CheckPatchedIdentity(WriteRequest request, JsonObject current, JsonObject patched)
    {
        var resource = request.Resource;
        var name = JsonTools.Name(patched);
        if (name != request.Name)
        {
            throw ApiErrors.BadRequest($"the name of the object ({name}) does not match the name on the URL ({request.Name})");
        }

        CheckNamespace(request, patched);
        var uid = JsonTools.Uid(patched);
        if (uid.Length > 0 && uid != JsonTools.Uid(current))
        {
            throw ApiErrors.Conflict(resource, name, $"Precondition failed: UID in precondition: {uid}, UID in object meta: {JsonTools.Uid(current)}");
        }

        var resourceVersion = JsonTools.ResourceVersion(patched);
        if (resourceVersion.Length > 0 && resourceVersion != JsonTools.ResourceVersion(current))
        {
            throw ApiErrors.StaleResourceVersion(resource, name);
        }
    }

    private static void CheckNamespace(WriteRequest request, JsonObject obj)
    {
        var metadata = JsonTools.Metadata(obj);
        if (!request.Resource.Namespaced)
        {
            metadata.Remove("namespace");
            return;
        }

        var given = JsonTools.MetaString(obj, "namespace");
        if (!string.IsNullOrEmpty(given) && request.Namespace is not null && given != request.Namespace)
        {
            throw ApiErrors.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
        }

        if (request.Namespace is not null)
        {
            metadata["namespace"] = request.Namespace;
        }
    }

    /// <summary>Builds the stored form of a request body: kind and apiVersion first, every other field kept.</summary>
    private static JsonObject Decode(ApiResource resource, JsonNode? body)
    {
        if (body is not JsonObject input)
        {
            throw ApiErrors.Undecodable(resource, $"json: cannot unmarshal {JsonKind(body)} into Go value of type {resource.Kind}");
        }

        var apiVersion = JsonTools.GetString(input, "apiVersion");
        if (!string.IsNullOrEmpty(apiVersion) && GroupOf(apiVersion) != resource.Group)
        {
            throw ApiErrors.BadRequest($"the API version in the data ({apiVersion}) does not match the expected API version ({resource.ApiVersion})");
        }

        var kind = JsonTools.GetString(input, "kind");
        if (!string.IsNullOrEmpty(kind) && kind != resource.Kind)
        {
            throw ApiErrors.BadRequest($"the kind in the data ({kind}) does not match the expected kind ({resource.Kind})");
        }

        var obj = new JsonObject { ["kind"] = resource.Kind, ["apiVersion"] = resource.ApiVersion };
        foreach (var (key, value) in input)
        {
            if (key is not ("kind" or "apiVersion"))
            {
                obj[key] = value?.DeepClone();
            }
        }

        if (obj["metadata"] is null)
        {
            obj["metadata"] = new JsonObject();
        }

        ValidateTypes(resource, obj);
        return obj;
    }

    private static void ValidateTypes(ApiResource resource, JsonObject obj)
    {
        if (obj["metadata"] is not JsonObject metadata)
        {
            throw ApiErrors.Undecodable(resource, $"json: cannot unmarshal {JsonKind(obj["metadata"])} into Go struct field {resource.Kind}.metadata of type v1.ObjectMeta");
        }

        foreach (var field in new[] { "name", "namespace", "generateName", "resourceVersion", "uid" })
        {
            if (metadata[field] is { } value && (value is not JsonValue v || !v.TryGetValue<string>(out _)))
            {
                throw ApiErrors.Undecodable(resource, $"json: cannot unmarshal {JsonKind(value)} into Go struct field ObjectMeta.metadata.{field} of type string");
            }
        }

        foreach (var field in new[] { "labels", "annotations" })
        {
            switch (metadata[field])
            {
                case null:
                    break;
                case JsonObject map:
                    foreach (var (_, value) in map)
                    {
                        if (value is not JsonValue v || !v.TryGetValue<string>(out _))
                        {
                            throw ApiErrors.Undecodable(resource, $"json: cannot unmarshal {JsonKind(value)} into Go struct field ObjectMeta.metadata.{field} of type string");
                        }
                    }

                    break;
                default:
                    throw ApiErrors.Undecodable(resource, $"json: cannot unmarshal {JsonKind(metadata[field])} into Go struct field ObjectMeta.metadata.{field} of type map[string]string");
            }
        }
    }

    private static string JsonKind(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject => "object",
        JsonArray => "array",
        JsonValue v when v.TryGetValue<string>(out _) => "string",
        JsonValue v when v.TryGetValue<bool>(out _) => "bool",
        _ => "number",
    };

    private static void ValidateName(ApiResource resource, string name)
    {
        string? problem = null;
        if (resource.NameIsDnsLabel)
        {
            if (name.Length > 63)
            {
                problem = "must be no more than 63 characters";
            }
            else if (!DnsLabel().IsMatch(name))
            {
                problem = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character "
                    + "(e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
            }
        }
        else if (name.Length > 253)
        {
            problem = "must be no more than 253 characters";
        }
        else if (!DnsSubdomain().IsMatch(name))
        {
            problem = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character "
                + "(e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
        }

        if (problem is not null)
        {
            throw ApiErrors.Invalid(resource, name, ("FieldValueInvalid", "metadata.name", $"Invalid value: \"{name}\": {problem}"));
        }
    }

    /// <summary>Whether a write changes what generation counts: spec (and annotations for Deployments), or for custom resources everything but metadata and status.</summary>
    private static bool SpecChanged(ApiResource resource, JsonObject before, JsonObject after)
    {
        if (resource.IsCustom)
        {
            var keys = before.Select(p => p.Key).Concat(after.Select(p => p.Key)).Distinct()
                .Where(k => k is not ("metadata" or "kind" or "apiVersion") && !(resource.HasStatus && k == "status"));
            return keys.Any(k => !JsonTools.Equal(before[k], after[k]));
        }

        if (!JsonTools.Equal(before["spec"], after["spec"]))
        {
            return true;
        }

        return resource.AnnotationsBumpGeneration
            && !JsonTools.Equal(AnnotationsOrEmpty(before), AnnotationsOrEmpty(after));
    }

    private static JsonObject AnnotationsOrEmpty(JsonObject obj) => obj["metadata"]?["annotations"] is JsonObject { Count: > 0 } a ? a : new JsonObject();

    private static JsonObject WithoutVolatile(JsonObject obj)
    {
        var copy = JsonTools.CloneObject(obj);
        var metadata = JsonTools.Metadata(copy);
        metadata.Remove("resourceVersion");
        if (metadata["managedFields"] is JsonArray entries)
        {
            foreach (var entry in entries.OfType<JsonObject>())
            {
                entry.Remove("time");
            }
        }

        return copy;
    }

    private static void InitialStatus(ApiResource resource, JsonObject obj)
    {
        if (!resource.HasStatus)
        {
            return;
        }

        if (resource.IsCustom)
        {
            obj.Remove("status");
            return;
        }

        obj["status"] = resource.Kind switch
        {
            "Namespace" => new JsonObject { ["phase"] = "Active" },
            "Service" or "Ingress" => new JsonObject { ["loadBalancer"] = new JsonObject() },
            "Pod" => new JsonObject { ["phase"] = "Pending" },
            _ => new JsonObject(),
        };
    }

    /// <summary>The server-side defaults of the built-in types that clients are most likely to read back.</summary>
    private void ApplyDefaults(ApiResource resource, JsonObject obj, JsonObject? previous)
    {
        if (resource.IsCustom)
        {
            return;
        }

        switch (resource.Kind)
        {
            case "Namespace":
                var labels = (JsonObject)(JsonTools.Metadata(obj)["labels"] ??= new JsonObject());
                labels["kubernetes.io/metadata.name"] = JsonTools.Name(obj);
                var namespaceSpec = (JsonObject)(obj["spec"] as JsonObject ?? (JsonObject)(obj["spec"] = new JsonObject()));
                namespaceSpec["finalizers"] ??= new JsonArray("kubernetes");
                break;
            case "Deployment":
                if (obj["spec"] is JsonObject spec)
                {
                    spec["replicas"] ??= 1;
                    spec["revisionHistoryLimit"] ??= 10;
                    spec["progressDeadlineSeconds"] ??= 600;
                    spec["strategy"] ??= new JsonObject
                    {
                        ["type"] = "RollingUpdate",
                        ["rollingUpdate"] = new JsonObject { ["maxUnavailable"] = "25%", ["maxSurge"] = "25%" },
                    };
                }

                break;
            case "Service":
                if (obj["spec"] is JsonObject serviceSpec)
                {
                    serviceSpec["type"] ??= "ClusterIP";
                    serviceSpec["sessionAffinity"] ??= "None";
                    if (JsonTools.GetString(serviceSpec, "type") != "ExternalName" && serviceSpec["clusterIP"] is null)
                    {
                        var ip = JsonTools.GetString(previous?["spec"], "clusterIP") ?? AllocateClusterIp();
                        serviceSpec["clusterIP"] = ip;
                        serviceSpec["clusterIPs"] = new JsonArray(ip);
                    }

                    foreach (var port in (serviceSpec["ports"] as JsonArray ?? []).OfType<JsonObject>())
                    {
                        port["protocol"] ??= "TCP";
                        port["targetPort"] ??= port["port"]?.DeepClone();
                    }
                }

                break;
        }
    }

    private string AllocateClusterIp()
    {
        var next = Interlocked.Increment(ref _nextClusterIp);
        return string.Create(CultureInfo.InvariantCulture, $"10.96.{next / 250}.{(next % 250) + 1}");
    }

    private static JsonObject ScaleOf(JsonObject owner)
    {
        var matchLabels = JsonTools.StringMap(owner["spec"]?["selector"]?["matchLabels"]);
        return new JsonObject
        {
            ["kind"] = "Scale",
            ["apiVersion"] = "autoscaling/v1",
            ["metadata"] = new JsonObject
            {
                ["name"] = JsonTools.Name(owner),
                ["namespace"] = JsonTools.Namespace(owner),
                ["uid"] = JsonTools.Uid(owner),
                ["resourceVersion"] = JsonTools.ResourceVersion(owner),
                ["creationTimestamp"] = owner["metadata"]?["creationTimestamp"]?.DeepClone(),
            },
            ["spec"] = new JsonObject { ["replicas"] = JsonTools.GetInt64(owner["spec"]?["replicas"]) ?? 0 },
            ["status"] = new JsonObject
            {
                ["replicas"] = JsonTools.GetInt64(owner["status"]?["replicas"]) ?? 0,
                ["selector"] = string.Join(",", matchLabels.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key + "=" + p.Value)),
            },
        };
    }

    /// <summary>A copy for a response, in the requested version (versions of a custom resource share storage).</summary>
    private static JsonObject Present(ApiResource resource, JsonObject obj)
    {
        var copy = JsonTools.CloneObject(obj);
        copy["apiVersion"] = resource.ApiVersion;
        return copy;
    }

    private static string GroupOf(string apiVersion)
    {
        var slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? string.Empty : apiVersion[..slash];
    }

    private static string NewUid() => Guid.NewGuid().ToString();

    private static string RandomSuffix()
    {
        var chars = new char[5];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = NameAlphabet[RandomNumberGenerator.GetInt32(NameAlphabet.Length)];
        }

        return new string(chars);
    }

    private static string EncodeContinue(long revision, string lastKey)
    {
        var token = new JsonObject { ["v"] = "meta.k8s.io/v1", ["rv"] = revision, ["start"] = lastKey + "\u0000" };
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(token.ToJsonString()));
    }

    private static (long Revision, string StartAfter) DecodeContinue(string token)
    {
        try
        {
            var json = JsonTools.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(token))) as JsonObject;
            var revision = JsonTools.GetInt64(json?["rv"]);
            var start = JsonTools.GetString(json, "start");
            if (revision is null || start is null || !start.EndsWith('\u0000'))
            {
                throw ApiErrors.BadRequest("continue key is not valid: the token is incomplete");
            }

            return (revision.Value, start[..^1]);
        }
        catch (FormatException)
        {
            throw ApiErrors.BadRequest("continue key is not valid: illegal base64 data");
        }
        catch (System.Text.Json.JsonException)
        {
            throw ApiErrors.BadRequest("continue key is not valid: the token is not JSON");
        }
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex DnsLabel();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex DnsSubdomain();
}
