namespace Canary.Metrics.Prometheus;

/// <summary>Where one query goes and what it carries.</summary>
/// <param name="Address">The server's URL, with a trailing slash.</param>
/// <param name="Display">The URL for messages: scheme, host, port and path.</param>
/// <param name="SendCredentials">Whether the configured credentials go with the query (only to the configured server).</param>
/// <param name="Insecure">Whether the client that skips certificate checks is used.</param>
/// <param name="Headers">Extra request headers, from a template's <c>provider.headers</c>.</param>
/// <param name="Template">What asks, for messages: a template's description or <c>PrometheusOptions</c>.</param>
internal sealed record PrometheusServer(Uri Address, string Display, bool SendCredentials, bool Insecure, IReadOnlyDictionary<string, string> Headers, string Template);
