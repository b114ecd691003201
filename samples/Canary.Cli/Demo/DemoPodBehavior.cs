using Canary.Validation;

namespace Canary.Cli.Demo;

/// <summary>How a <see cref="DemoPod"/> answers: the share of requests that fail with 500, and how long each request takes.</summary>
/// <param name="ErrorRate">The fraction of requests to <c>/</c> answered with 500, from 0 to 1.</param>
/// <param name="MedianLatency">The median time a request to <c>/</c> takes.</param>
/// <param name="LatencyJitter">
/// How far a request's time may stray from the median: each takes a time drawn uniformly from median ± jitter (never less than
/// zero), so the median is exact whenever the jitter does not exceed it.
/// </param>
public sealed record DemoPodBehavior(double ErrorRate, TimeSpan MedianLatency, TimeSpan LatencyJitter)
{
    /// <summary>Gets a healthy version: no errors, 10 ms ± 5 ms.</summary>
    public static DemoPodBehavior Healthy { get; } = new(0, TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(5));

    /// <summary>Checks the values.</summary>
    /// <returns>Every problem found, each naming its field; empty when the behaviour is valid.</returns>
    public IReadOnlyList<ValidationError> Validate()
    {
        var errors = new List<ValidationError>();
        if (!(ErrorRate is >= 0 and <= 1))
        {
            errors.Add(new(nameof(ErrorRate), $"must be between 0 and 1, not {ErrorRate}"));
        }

        if (MedianLatency < TimeSpan.Zero)
        {
            errors.Add(new(nameof(MedianLatency), $"must not be negative, not {MedianLatency}"));
        }

        if (LatencyJitter < TimeSpan.Zero)
        {
            errors.Add(new(nameof(LatencyJitter), $"must not be negative, not {LatencyJitter}"));
        }

        return errors;
    }

    /// <summary>Draws one request's fate from two uniform numbers in [0, 1).</summary>
    internal (bool Fail, TimeSpan Delay) Draw(double errorDraw, double latencyDraw)
    {
        var offset = LatencyJitter.Ticks * ((2 * latencyDraw) - 1);
        var delay = TimeSpan.FromTicks(Math.Max(0, MedianLatency.Ticks + (long)offset));
        return (errorDraw < ErrorRate, delay);
    }

    internal void EnsureValid(string parameter)
    {
        var errors = Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException($"The DemoPodBehavior is invalid: {string.Join("; ", errors)}", parameter);
        }
    }
}
