using System.Net;
using System.Net.Sockets;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Canary.Resilience;

/// <summary>Tells transient failures (worth a retry) from permanent ones.</summary>
public static class TransientFailures
{
    /// <summary>
    /// The key of <see cref="Exception.Data"/> with which an adapter marks its own exception type as transient
    /// (<see langword="true"/>) or permanent (<see langword="false"/>), so that Core need not know the type.
    /// </summary>
    public const string DataKey = "Canary.Transient";

    /// <summary>
    /// The key of <see cref="Exception.Data"/> with which an adapter marks a transient failure as waiting
    /// (<see langword="true"/>): the port answered, but the state it waits for is not there yet (a gateway has not
    /// accepted a route, pods are still coming up). It is retried like any transient failure, but it says nothing about
    /// the port's health, so it never opens the port's circuit.
    /// </summary>
    public const string PendingDataKey = "Canary.Pending";

    /// <summary>Gets a value indicating whether <paramref name="exception"/> is worth a retry.</summary>
    /// <param name="exception">A failure of a port call.</param>
    /// <returns><see langword="true"/> for timeouts, connection failures, HTTP 408, 429 and 5xx, and exceptions marked transient.</returns>
    public static bool IsTransient(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (exception.Data[DataKey] is bool marked)
        {
            return marked;
        }

        return exception switch
        {
            HttpRequestException { StatusCode: { } status } => IsTransientStatus(status),
            HttpRequestException or IOException or SocketException or TimeoutException => true,
            TimeoutRejectedException => true,
            BrokenCircuitException => false,
            _ => false,
        };
    }

    /// <summary>Gets a value indicating whether <paramref name="exception"/> is a wait for a state, not a failure of the port.</summary>
    /// <param name="exception">A failure of a port call.</param>
    /// <returns><see langword="true"/> for exceptions marked through <see cref="PendingDataKey"/>.</returns>
    public static bool IsPending(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception.Data[PendingDataKey] is true;
    }

    private static bool IsTransientStatus(HttpStatusCode status) =>
        status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)status >= 500;
}
