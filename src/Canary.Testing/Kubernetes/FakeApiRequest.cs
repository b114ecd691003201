namespace Canary.Testing.Kubernetes;

/// <summary>A request as the fake API server received it, given to fault-injection predicates.</summary>
/// <param name="Method">The HTTP method, upper case (GET, POST, PUT, PATCH, DELETE).</param>
/// <param name="Path">The URL path, e.g. <c>/apis/apps/v1/namespaces/default/deployments/web</c>.</param>
/// <param name="Query">The query string without the leading '?', still URL-encoded; empty when there is none.</param>
/// <param name="ContentType">The Content-Type header, or null.</param>
public sealed record FakeApiRequest(string Method, string Path, string Query, string? ContentType)
{
    /// <summary>Whether this is a watch (<c>watch=true</c> or <c>watch=1</c> in the query).</summary>
    public bool IsWatch => Query.Split('&').Any(p => p is "watch=true" or "watch=1");

    /// <summary>Whether the path ends with the given segment, e.g. <c>IsFor("deployments")</c> or <c>IsFor("status")</c>.</summary>
    /// <param name="segment">The last path segment to compare with.</param>
    /// <returns>True when the last segment of <see cref="Path"/> equals <paramref name="segment"/>.</returns>
    public bool IsFor(string segment) => Path.TrimEnd('/').EndsWith("/" + segment, StringComparison.Ordinal);
}
