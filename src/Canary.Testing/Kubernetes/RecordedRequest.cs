namespace Canary.Testing.Kubernetes;

/// <summary>A request the fake API server answered, as kept in <see cref="FakeKubernetesApiServer.Requests"/>.</summary>
/// <param name="Method">The HTTP method, upper case.</param>
/// <param name="Path">The URL path.</param>
/// <param name="Query">The query string without the leading '?', still URL-encoded.</param>
/// <param name="ContentType">The Content-Type header, or null.</param>
/// <param name="StatusCode">The status code of the answer; 499 when the client went away before any answer.</param>
public sealed record RecordedRequest(string Method, string Path, string Query, string? ContentType, int StatusCode)
{
    /// <summary>The User-Agent header, or empty when the client sent none; tells apart the clients that share one server.</summary>
    public string UserAgent { get; init; } = string.Empty;

    /// <summary>Whether this was a watch (<c>watch=true</c> or <c>watch=1</c> in the query).</summary>
    public bool IsWatch => Query.Split('&').Any(p => p is "watch=true" or "watch=1");
}
