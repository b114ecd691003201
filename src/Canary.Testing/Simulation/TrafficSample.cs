namespace Canary.Testing.Simulation;

/// <summary>The requests one workload served in some window: how many, how many failed with 5xx, and how long they took.</summary>
public sealed class TrafficSample
{
    /// <summary>Gets the number of requests.</summary>
    public long Requests { get; private set; }

    /// <summary>Gets the number of requests answered with 5xx.</summary>
    public long Errors { get; private set; }

    /// <summary>Gets the requests' durations.</summary>
    public LatencyHistogram Latency { get; } = new();

    /// <summary>Gets the percentage of requests that did not fail, or <see cref="double.NaN"/> with no requests.</summary>
    public double SuccessRate => Requests == 0 ? double.NaN : 100.0 * (Requests - Errors) / Requests;

    /// <summary>Records one request.</summary>
    /// <param name="failed">Whether it answered 5xx.</param>
    /// <param name="milliseconds">How long it took.</param>
    public void Record(bool failed, double milliseconds)
    {
        Requests++;
        if (failed)
        {
            Errors++;
        }

        Latency.Record(milliseconds);
    }

    /// <summary>Adds another sample to this one.</summary>
    /// <param name="other">The sample to add.</param>
    public void Add(TrafficSample other)
    {
        ArgumentNullException.ThrowIfNull(other);
        Requests += other.Requests;
        Errors += other.Errors;
        Latency.Add(other.Latency);
    }
}
