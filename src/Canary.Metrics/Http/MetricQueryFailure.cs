using System.Net;

namespace Canary.Metrics.Http;

/// <summary>What went wrong with a query, for a provider to turn into its own exception.</summary>
/// <param name="Message">The message, naming the server, the problem and the query, and never a credential.</param>
/// <param name="Query">The query.</param>
/// <param name="StatusCode">The HTTP status code of the answer, when there was one.</param>
/// <param name="ErrorType">The vendor's error code, when it sent one.</param>
/// <param name="InnerException">The cause, or <see langword="null"/>.</param>
internal sealed record MetricQueryFailure(string Message, string Query, HttpStatusCode? StatusCode, string? ErrorType, Exception? InnerException);
