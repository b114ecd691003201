using System.Text.Json.Nodes;

namespace Canary.Kubernetes.Client;

/// <summary>
/// The Kubernetes API as the rest of Canary sees it: generic verbs on any group, version and resource, with objects as
/// <see cref="JsonObject"/> so that fields this code does not know survive a read-modify-write. <see cref="KubernetesApiClient"/>
/// implements it over HTTP; an adapter over KubernetesClient's <c>IKubernetes</c> could too.
/// </summary>
/// <remarks>
/// Every failure answer surfaces as a <see cref="KubernetesException"/>. <c>namespaceName</c> parameters must be
/// <see langword="null"/> for cluster-scoped resources; for lists and watches of namespaced resources, <see langword="null"/> means all
/// namespaces.
/// </remarks>
public interface IKubernetesApi
{
    /// <summary>Reads one object, or one of its subresources (GET).</summary>
    /// <param name="resource">The resource type.</param>
    /// <param name="namespaceName">The namespace, or <see langword="null"/> for cluster-scoped resources.</param>
    /// <param name="name">The object's name.</param>
    /// <param name="subresource">A subresource such as <c>status</c> or <c>scale</c>, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The object.</returns>
    /// <exception cref="KubernetesException">The server refused, for example 404 NotFound.</exception>
    Task<JsonObject> GetAsync(
        ResourceType resource,
        string? namespaceName,
        string name,
        string? subresource = null,
        CancellationToken cancellationToken = default);

    /// <summary>Lists objects (GET on the collection): one page when <see cref="ListOptions.Limit"/> is set.</summary>
    /// <param name="resource">The resource type.</param>
    /// <param name="namespaceName">The namespace, or <see langword="null"/> for all namespaces or cluster-scoped resources.</param>
    /// <param name="options">Selectors and paging, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The list object, with <c>items</c>, <c>metadata.resourceVersion</c> and perhaps <c>metadata.continue</c>.</returns>
    /// <exception cref="KubernetesException">The server refused; 410 means the continue token expired.</exception>
    Task<JsonObject> ListAsync(
        ResourceType resource,
        string? namespaceName,
        ListOptions? options = null,
        CancellationToken cancellationToken = default);

    /// <summary>Creates an object (POST). The body must not carry a <c>metadata.resourceVersion</c>.</summary>
    /// <param name="resource">The resource type.</param>
    /// <param name="namespaceName">The namespace, or <see langword="null"/> to take <c>metadata.namespace</c> from the body.</param>
    /// <param name="body">The object.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The created object as stored.</returns>
    /// <exception cref="KubernetesException">The server refused, for example 409 AlreadyExists or 422 Invalid.</exception>
    Task<JsonObject> CreateAsync(
        ResourceType resource,
        string? namespaceName,
        JsonObject body,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// Replaces a whole object (PUT). The body must carry the <c>metadata.resourceVersion</c> it was read at, so that a concurrent
    /// change gives 409 Conflict instead of being overwritten. Only PUT objects read whole, never a partial model.
    /// </summary>
    /// <param name="resource">The resource type.</param>
    /// <param name="namespaceName">The namespace, or <see langword="null"/> for cluster-scoped resources.</param>
    /// <param name="name">The object's name.</param>
    /// <param name="body">The full object.</param>
    /// <param name="subresource">A subresource such as <c>status</c>, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The object as stored.</returns>
    /// <exception cref="ArgumentException">The body has no <c>metadata.resourceVersion</c>.</exception>
    /// <exception cref="KubernetesException">The server refused, for example 409 Conflict.</exception>
    Task<JsonObject> ReplaceAsync(
        ResourceType resource,
        string? namespaceName,
        string name,
        JsonObject body,
        string? subresource = null,
        CancellationToken cancellationToken = default);

    /// <summary>Patches an object (PATCH) with a JSON patch, merge patch, strategic merge patch or server-side apply.</summary>
    /// <param name="resource">The resource type.</param>
    /// <param name="namespaceName">The namespace, or <see langword="null"/> for cluster-scoped resources.</param>
    /// <param name="name">The object's name.</param>
    /// <param name="patch">The patch.</param>
    /// <param name="options">The field manager and force flag; apply needs a field manager.</param>
    /// <param name="subresource">A subresource such as <c>status</c>, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The object as stored.</returns>
    /// <exception cref="ArgumentException">Apply without a field manager, or force without apply.</exception>
    /// <exception cref="KubernetesException">The server refused, for example 404, 409 or 415.</exception>
    Task<JsonObject> PatchAsync(
        ResourceType resource,
        string? namespaceName,
        string name,
        KubernetesPatch patch,
        PatchOptions? options = null,
        string? subresource = null,
        CancellationToken cancellationToken = default);

    /// <summary>Deletes an object (DELETE).</summary>
    /// <param name="resource">The resource type.</param>
    /// <param name="namespaceName">The namespace, or <see langword="null"/> for cluster-scoped resources.</param>
    /// <param name="name">The object's name.</param>
    /// <param name="options">The propagation policy and grace period, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The deleted object (perhaps with a deletion timestamp) or a <c>Status</c> of <c>Success</c>.</returns>
    /// <exception cref="KubernetesException">The server refused, for example 404 NotFound.</exception>
    Task<JsonObject> DeleteAsync(
        ResourceType resource,
        string? namespaceName,
        string name,
        DeleteOptions? options = null,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// Watches a collection. Events are yielded as they arrive; the sequence ends when the server closes the stream, and throws when
    /// the connection drops. Lines that are not valid events are skipped and reported. ERROR events are yielded, not thrown.
    /// </summary>
    /// <param name="resource">The resource type.</param>
    /// <param name="namespaceName">The namespace, or <see langword="null"/> for all namespaces or cluster-scoped resources.</param>
    /// <param name="options">Where to start, selectors and bookmarks, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Stops the watch.</param>
    /// <returns>The events.</returns>
    /// <exception cref="KubernetesException">The server refused to start the watch, for example 410 Gone.</exception>
    IAsyncEnumerable<WatchEvent> WatchAsync(
        ResourceType resource,
        string? namespaceName,
        WatchOptions? options = null,
        CancellationToken cancellationToken = default);
}
