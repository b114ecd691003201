using Canary.Resilience;

namespace Canary.Kubernetes.Routing;

/// <summary>
/// A traffic router could not reach the requested state: either for good (the spec or the cluster is wrong, and the message names the
/// field) or for now (a gateway has not accepted a route yet, a workload is still coming up). Transient failures are marked through
/// <see cref="TransientFailures.DataKey"/>, so that the engine retries them and never advances on a route that is not in effect.
/// </summary>
public sealed class TrafficRouterException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="TrafficRouterException"/> class for a permanent failure.</summary>
    public TrafficRouterException()
        : this("The traffic router failed.", isTransient: false)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="TrafficRouterException"/> class for a permanent failure.</summary>
    /// <param name="message">What is wrong, naming the field or object.</param>
    public TrafficRouterException(string message)
        : this(message, isTransient: false)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="TrafficRouterException"/> class for a permanent failure.</summary>
    /// <param name="message">What is wrong, naming the field or object.</param>
    /// <param name="innerException">The cause.</param>
    public TrafficRouterException(string message, Exception innerException)
        : base(message, innerException)
    {
        Data[TransientFailures.DataKey] = false;
    }

    /// <summary>Initializes a new instance of the <see cref="TrafficRouterException"/> class.</summary>
    /// <param name="message">What is wrong or what the router waits for.</param>
    /// <param name="isTransient">Whether the same call may succeed later without a change to the spec.</param>
    public TrafficRouterException(string message, bool isTransient)
        : base(message)
    {
        IsTransient = isTransient;
        Data[TransientFailures.DataKey] = isTransient;
    }

    /// <summary>Gets a value indicating whether the same call may succeed later without a change to the spec.</summary>
    public bool IsTransient { get; }

    /// <summary>A wait for a state the router needs (an accepted route, ready pods): retried, and never counted against the router's circuit.</summary>
    internal static TrafficRouterException Transient(string message)
    {
        var exception = new TrafficRouterException(message, isTransient: true);
        exception.Data[TransientFailures.PendingDataKey] = true;
        return exception;
    }
}
