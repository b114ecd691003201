using System.Net;
using Canary.Metrics.Http;

namespace Canary.Metrics.CloudWatch;

/// <summary>
/// CloudWatch could not answer a query: it rejected it, was unreachable or too slow, or answered something that is
/// not <c>GetMetricData</c> results. The message names the endpoint, the problem and the query, and never a credential.
/// </summary>
public sealed class CloudWatchQueryException : Exception, IMetricQueryFailure
{
    /// <summary>Initializes a new instance of the <see cref="CloudWatchQueryException"/> class.</summary>
    public CloudWatchQueryException()
        : this("A CloudWatch query failed.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="CloudWatchQueryException"/> class.</summary>
    /// <param name="message">What went wrong.</param>
    public CloudWatchQueryException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="CloudWatchQueryException"/> class.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public CloudWatchQueryException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Gets the query that failed: the JSON array of <c>MetricDataQuery</c> objects.</summary>
    public string? Query { get; init; }

    /// <summary>Gets the HTTP status code of the answer, when there was one.</summary>
    public HttpStatusCode? StatusCode { get; init; }

    /// <summary>Gets AWS's error code (<c>InvalidParameterValueException</c>, <c>AccessDeniedException</c>, ...), when it sent one.</summary>
    public string? ErrorType { get; init; }
}
