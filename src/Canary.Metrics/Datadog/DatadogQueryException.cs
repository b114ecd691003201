using System.Net;
using Canary.Metrics.Http;

namespace Canary.Metrics.Datadog;

/// <summary>
/// Datadog could not answer a query: it rejected it, was unreachable or too slow, or answered something that is not
/// one series. The message names the server, the problem and the query, and never a key.
/// </summary>
public sealed class DatadogQueryException : Exception, IMetricQueryFailure
{
    /// <summary>Initializes a new instance of the <see cref="DatadogQueryException"/> class.</summary>
    public DatadogQueryException()
        : this("A Datadog query failed.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="DatadogQueryException"/> class.</summary>
    /// <param name="message">What went wrong.</param>
    public DatadogQueryException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="DatadogQueryException"/> class.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public DatadogQueryException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Gets the query that failed.</summary>
    public string? Query { get; init; }

    /// <summary>Gets the HTTP status code of the answer, when there was one.</summary>
    public HttpStatusCode? StatusCode { get; init; }
}
