using System.Text.Json.Nodes;

namespace Canary.Kubernetes.Client;

/// <summary>Helpers built on <see cref="IKubernetesApi"/>'s verbs: paging, the status subresource, apply, and conflict retries.</summary>
public static class KubernetesApiExtensions
{
    /// <summary>The subresource that holds an object's <c>status</c>.</summary>
    public const string StatusSubresource = "status";

    /// <summary>Reads an object, or returns <see langword="null"/> when it does not exist.</summary>
    /// <param name="api">The API.</param>
    /// <param name="resource">The resource type.</param>
    /// <param name="namespaceName">The namespace, or <see langword="null"/> for cluster-scoped resources.</param>
    /// <param name="name">The object's name.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The object, or <see langword="null"/> on 404.</returns>
    public static async Task<JsonObject?> TryGetAsync(
        this IKubernetesApi api,
        ResourceType resource,
        string? namespaceName,
        string name,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(api);
        try
        {
            return await api.GetAsync(resource, namespaceName, name, null, cancellationToken);
        }
        catch (KubernetesException ex) when (ex.IsNotFound)
        {
            return null;
        }
    }

    /// <summary>
    /// Lists every object, following <c>metadata.continue</c> from page to page. The result is one list object with all
    /// <c>items</c> and the first page's <c>metadata.resourceVersion</c>, which is the snapshot every page belongs to.
    /// </summary>
    /// <param name="api">The API.</param>
    /// <param name="resource">The resource type.</param>
    /// <param name="namespaceName">The namespace, or <see langword="null"/> for all namespaces or cluster-scoped resources.</param>
    /// <param name="options">Selectors and the page size (<see cref="ListOptions.Limit"/>), or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the requests.</param>
    /// <returns>The merged list.</returns>
    /// <exception cref="KubernetesException">A page failed; 410 means the continue token expired and the list must start over.</exception>
    public static async Task<JsonObject> ListAllAsync(
        this IKubernetesApi api,
        ResourceType resource,
        string? namespaceName,
        ListOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(api);
        options ??= new ListOptions();
        var first = await api.ListAsync(resource, namespaceName, options, cancellationToken);
        var items = first["items"] as JsonArray ?? [];
        first["items"] = items;
        var token = ContinueToken(first);
        const int maxPages = 100_000;
        for (var page = 1; token is not null; page++)
        {
            if (page >= maxPages)
            {
                throw new InvalidOperationException($"Listing {resource} did not end after {maxPages} pages; the server keeps returning continue tokens.");
            }

            var next = await api.ListAsync(resource, namespaceName, options with { Continue = token }, cancellationToken);
            if (next["items"] is JsonArray more)
            {
                foreach (var item in more.ToList())
                {
                    more.Remove(item);
                    items.Add(item);
                }
            }

            var nextToken = ContinueToken(next);
            if (nextToken == token)
            {
                throw new InvalidOperationException($"Listing {resource}: the server returned the same continue token twice.");
            }

            token = nextToken;
        }

        if (first["metadata"] is JsonObject metadata)
        {
            metadata.Remove("continue");
            metadata.Remove("remainingItemCount");
        }

        return first;
    }

    /// <summary>Reads an object's status subresource.</summary>
    /// <param name="api">The API.</param>
    /// <param name="resource">The resource type.</param>
    /// <param name="namespaceName">The namespace, or <see langword="null"/> for cluster-scoped resources.</param>
    /// <param name="name">The object's name.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The object as the status endpoint returns it.</returns>
    public static Task<JsonObject> GetStatusAsync(
        this IKubernetesApi api,
        ResourceType resource,
        string? namespaceName,
        string name,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(api);
        return api.GetAsync(resource, namespaceName, name, StatusSubresource, cancellationToken);
    }

    /// <summary>Replaces an object's status (PUT on <c>/status</c>); the spec is left as stored.</summary>
    /// <param name="api">The API.</param>
    /// <param name="resource">The resource type.</param>
    /// <param name="namespaceName">The namespace, or <see langword="null"/> for cluster-scoped resources.</param>
    /// <param name="name">The object's name.</param>
    /// <param name="body">The whole object as read, with its <c>metadata.resourceVersion</c> and the new status.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The object as stored.</returns>
    public static Task<JsonObject> ReplaceStatusAsync(
        this IKubernetesApi api,
        ResourceType resource,
        string? namespaceName,
        string name,
        JsonObject body,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(api);
        return api.ReplaceAsync(resource, namespaceName, name, body, StatusSubresource, cancellationToken);
    }

    /// <summary>Patches an object's status (PATCH on <c>/status</c>).</summary>
    /// <param name="api">The API.</param>
    /// <param name="resource">The resource type.</param>
    /// <param name="namespaceName">The namespace, or <see langword="null"/> for cluster-scoped resources.</param>
    /// <param name="name">The object's name.</param>
    /// <param name="patch">The patch, for example a merge patch <c>{"status":{...}}</c>.</param>
    /// <param name="options">The field manager and force flag, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The object as stored.</returns>
    public static Task<JsonObject> PatchStatusAsync(
        this IKubernetesApi api,
        ResourceType resource,
        string? namespaceName,
        string name,
        KubernetesPatch patch,
        PatchOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(api);
        return api.PatchAsync(resource, namespaceName, name, patch, options, StatusSubresource, cancellationToken);
    }

    /// <summary>
    /// Server-side applies an object: its namespace and name come from its metadata, and <c>apiVersion</c> and <c>kind</c> are
    /// filled in from <paramref name="resource"/> when missing. Creates the object when it does not exist.
    /// </summary>
    /// <param name="api">The API.</param>
    /// <param name="resource">The resource type.</param>
    /// <param name="applied">The fields this manager owns.</param>
    /// <param name="fieldManager">The field manager's name.</param>
    /// <param name="force">Whether to take over fields that another manager owns.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The object as stored.</returns>
    /// <exception cref="ArgumentException"><c>metadata.name</c> is missing, or the namespace is missing for a namespaced resource.</exception>
    public static Task<JsonObject> ApplyAsync(
        this IKubernetesApi api,
        ResourceType resource,
        JsonObject applied,
        string fieldManager,
        bool force = false,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(applied);
        ArgumentException.ThrowIfNullOrWhiteSpace(fieldManager);
        var name = KubernetesObject.GetName(applied);
        if (string.IsNullOrEmpty(name))
        {
            throw new ArgumentException("metadata.name: required for apply.", nameof(applied));
        }

        var namespaceName = resource.Namespaced ? KubernetesObject.GetNamespace(applied) : null;
        if (resource.Namespaced && string.IsNullOrEmpty(namespaceName))
        {
            throw new ArgumentException($"metadata.namespace: required to apply a namespaced {resource.Kind}.", nameof(applied));
        }

        var body = applied;
        if (applied["apiVersion"] is null || applied["kind"] is null)
        {
            body = (JsonObject)applied.DeepClone();
            body["apiVersion"] ??= resource.ApiVersion;
            body["kind"] ??= resource.Kind;
        }

        return api.PatchAsync(
            resource,
            namespaceName,
            name,
            KubernetesPatch.Apply(body),
            new PatchOptions { FieldManager = fieldManager, Force = force },
            null,
            cancellationToken);
    }

    /// <summary>
    /// Reads an object, lets <paramref name="mutate"/> change it, and replaces it; on 409 Conflict, reads it again and re-applies the
    /// change, up to <paramref name="maxAttempts"/> times. Because the whole object read is written back with its resource version,
    /// fields written by others are never lost.
    /// </summary>
    /// <param name="api">The API.</param>
    /// <param name="resource">The resource type.</param>
    /// <param name="namespaceName">The namespace, or <see langword="null"/> for cluster-scoped resources.</param>
    /// <param name="name">The object's name.</param>
    /// <param name="mutate">
    /// Changes the fresh copy it is given, in place, and returns it; or returns <see langword="null"/> when nothing needs to change.
    /// It may run several times, so it must set absolute values (replicas = 3), not deltas (replicas + 1).
    /// </param>
    /// <param name="subresource">A subresource such as <c>status</c>, or <see langword="null"/>.</param>
    /// <param name="maxAttempts">How many read-modify-write rounds to try before the last conflict is thrown.</param>
    /// <param name="cancellationToken">Cancels the requests.</param>
    /// <returns>The object as stored, or as read when <paramref name="mutate"/> returned <see langword="null"/>.</returns>
    /// <exception cref="KubernetesException">The object is missing, or every attempt met a conflict, or another error occurred.</exception>
    public static async Task<JsonObject> UpdateWithRetryAsync(
        this IKubernetesApi api,
        ResourceType resource,
        string? namespaceName,
        string name,
        Func<JsonObject, JsonObject?> mutate,
        string? subresource = null,
        int maxAttempts = 5,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(mutate);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxAttempts, 1);
        for (var attempt = 1; ; attempt++)
        {
            var current = await api.GetAsync(resource, namespaceName, name, subresource, cancellationToken);
            var readVersion = KubernetesObject.GetResourceVersion(current);
            var changed = mutate((JsonObject)current.DeepClone());
            if (changed is null)
            {
                return current;
            }

            // The write must be judged against the version the change was computed from, whatever the callback did to it.
            if (changed["metadata"] is not JsonObject metadata)
            {
                metadata = [];
                changed["metadata"] = metadata;
            }

            metadata["resourceVersion"] = readVersion;
            try
            {
                return await api.ReplaceAsync(resource, namespaceName, name, changed, subresource, cancellationToken);
            }
            catch (KubernetesException ex) when (ex.IsConflict && attempt < maxAttempts)
            {
                // Someone else wrote first: read their version and apply the intended change to it.
            }
        }
    }

    private static string? ContinueToken(JsonObject list) =>
        list["metadata"] is JsonObject metadata && metadata["continue"] is JsonValue value &&
        value.TryGetValue<string>(out var token) && token.Length > 0
            ? token
            : null;
}
