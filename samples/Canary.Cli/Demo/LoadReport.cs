namespace Canary.Cli.Demo;

/// <summary>What a <see cref="LoadGenerator"/> sent and what came back.</summary>
/// <param name="Sent">Requests started.</param>
/// <param name="Answered">Requests that got an HTTP answer, whatever its status.</param>
/// <param name="TransportFailures">Requests that got no answer: refused, reset or timed out.</param>
/// <param name="ByVersion">
/// Answers by the <c>version</c> in their JSON body; the proxy's own answers (404 without a route, 503 without endpoints) carry no
/// version and count under the empty string.
/// </param>
/// <param name="MarkedByVersion">The same, for the requests that carried the mark only.</param>
/// <param name="ByStatus">Answers by HTTP status code.</param>
public sealed record LoadReport(
    long Sent,
    long Answered,
    long TransportFailures,
    IReadOnlyDictionary<string, VersionCount> ByVersion,
    IReadOnlyDictionary<string, VersionCount> MarkedByVersion,
    IReadOnlyDictionary<int, long> ByStatus)
{
    /// <summary>Gets the requests without the mark, by version.</summary>
    public IReadOnlyDictionary<string, VersionCount> UnmarkedByVersion =>
        ByVersion.ToDictionary(
            pair => pair.Key,
            pair => MarkedByVersion.TryGetValue(pair.Key, out var marked)
                ? new VersionCount(pair.Value.Succeeded - marked.Succeeded, pair.Value.Failed - marked.Failed)
                : pair.Value,
            StringComparer.Ordinal);

    /// <summary>Returns how many answers a version gave.</summary>
    /// <param name="version">The version.</param>
    /// <returns>The count; 0 for a version that never answered.</returns>
    public long Answers(string version) => ByVersion.TryGetValue(version, out var count) ? count.Total : 0;
}
