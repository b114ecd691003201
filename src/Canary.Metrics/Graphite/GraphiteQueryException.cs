using System.Net;
using Canary.Metrics.Http;

namespace Canary.Metrics.Graphite;

/// <summary>
/// Graphite could not answer a query: it rejected it, was unreachable or too slow, or answered something that is not
/// render JSON. The message names the server, the problem and the query, and never the password.
/// </summary>
public sealed class GraphiteQueryException : Exception, IMetricQueryFailure
{
    /// <summary>Initializes a new instance of the <see cref="GraphiteQueryException"/> class.</summary>
    public GraphiteQueryException()
        : this("A Graphite query failed.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="GraphiteQueryException"/> class.</summary>
    /// <param name="message">What went wrong.</param>
    public GraphiteQueryException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="GraphiteQueryException"/> class.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public GraphiteQueryException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Gets the query that failed.</summary>
    public string? Query { get; init; }

    /// <summary>Gets the HTTP status code of the answer, when there was one.</summary>
    public HttpStatusCode? StatusCode { get; init; }
}
