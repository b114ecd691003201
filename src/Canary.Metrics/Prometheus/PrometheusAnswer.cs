using System.Net;

namespace Canary.Metrics.Prometheus;

/// <summary>An answer of the query API as received, for <see cref="PrometheusResponse"/> to read.</summary>
/// <param name="Status">The HTTP status code.</param>
/// <param name="ContentType">The media type of the body, or <see langword="null"/>.</param>
/// <param name="Body">The body.</param>
/// <param name="Query">The query as sent.</param>
/// <param name="Server">The server, for messages.</param>
internal readonly record struct PrometheusAnswer(HttpStatusCode Status, string? ContentType, ReadOnlyMemory<byte> Body, string Query, string Server);
