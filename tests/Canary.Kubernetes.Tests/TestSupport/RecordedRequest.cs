namespace Canary.Kubernetes.Tests.TestSupport;

/// <summary>What a <see cref="FakeKubeApiHandler"/> saw of one request.</summary>
internal sealed record RecordedRequest(HttpMethod Method, Uri Uri, string? ContentType, string? Body, string? Authorization, string? UserAgent)
{
    public string PathAndQuery => Uri.PathAndQuery;

    public string Path => Uri.AbsolutePath;

    public string Query => Uri.Query;

    public bool IsWatch => Uri.Query.Contains("watch=true", StringComparison.Ordinal);
}
