using System.Net;

namespace Canary.Metrics.Prometheus;

/// <summary>
/// Prometheus could not answer a query: it rejected it, was unreachable or too slow, or answered something that is
/// not one value. The message names the server, the problem and the query, and never a credential.
/// </summary>
public sealed class PrometheusQueryException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="PrometheusQueryException"/> class.</summary>
    public PrometheusQueryException()
        : this("A Prometheus query failed.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="PrometheusQueryException"/> class.</summary>
    /// <param name="message">What went wrong.</param>
    public PrometheusQueryException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="PrometheusQueryException"/> class.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public PrometheusQueryException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Gets the query that failed.</summary>
    public string? Query { get; init; }

    /// <summary>Gets Prometheus' <c>errorType</c> (<c>bad_data</c>, <c>execution</c>, <c>timeout</c>, ...), when it sent one.</summary>
    public string? ErrorType { get; init; }

    /// <summary>Gets the HTTP status code of the answer, when there was one.</summary>
    public HttpStatusCode? StatusCode { get; init; }
}
