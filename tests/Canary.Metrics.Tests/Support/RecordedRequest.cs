namespace Canary.Metrics.Tests.Support;

/// <summary>One request that <see cref="FakePrometheusServer"/> received.</summary>
internal sealed record RecordedRequest(
    string Method,
    string Path,
    string? Query,
    string? Timeout,
    string Authorization,
    IReadOnlyDictionary<string, string> Headers);
