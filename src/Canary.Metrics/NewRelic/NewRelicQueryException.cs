using System.Net;
using Canary.Metrics.Http;

namespace Canary.Metrics.NewRelic;

/// <summary>
/// New Relic could not answer a query: it rejected it, was unreachable or too slow, or answered something that is
/// not NRQL results. The message names the server, the problem and the query, and never the query key.
/// </summary>
public sealed class NewRelicQueryException : Exception, IMetricQueryFailure
{
    /// <summary>Initializes a new instance of the <see cref="NewRelicQueryException"/> class.</summary>
    public NewRelicQueryException()
        : this("A New Relic query failed.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="NewRelicQueryException"/> class.</summary>
    /// <param name="message">What went wrong.</param>
    public NewRelicQueryException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="NewRelicQueryException"/> class.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public NewRelicQueryException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Gets the NRQL query that failed, as sent.</summary>
    public string? Query { get; init; }

    /// <summary>Gets the HTTP status code of the answer, when there was one.</summary>
    public HttpStatusCode? StatusCode { get; init; }
}
