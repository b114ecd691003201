using System.Net;
using System.Net.Http.Headers;

namespace Canary.Metrics.Http;

/// <summary>A vendor's answer to one query, read whole.</summary>
/// <param name="StatusCode">The HTTP status code.</param>
/// <param name="MediaType">The media type of the body, or <see langword="null"/>.</param>
/// <param name="Body">The body.</param>
/// <param name="Headers">The response headers.</param>
internal readonly record struct HttpAnswer(HttpStatusCode StatusCode, string? MediaType, ReadOnlyMemory<byte> Body, HttpResponseHeaders Headers)
{
    /// <summary>Gets a value indicating whether the status code is 2xx.</summary>
    public bool IsSuccess => (int)StatusCode is >= 200 and < 300;

    /// <summary>Gets the status for messages, for example <c>HTTP 404 (NotFound)</c>.</summary>
    public string Status => $"HTTP {(int)StatusCode} ({StatusCode})";

    /// <summary>Gets the kind of body for messages, for example <c>a text/html body</c>.</summary>
    public string BodyKind => Body.IsEmpty ? "an empty body" : MediaType is null ? "a body" : $"a {MediaType} body";
}
