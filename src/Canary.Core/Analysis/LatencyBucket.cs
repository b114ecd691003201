namespace Canary.Analysis;

/// <summary>One bucket of a cumulative latency histogram, as Prometheus' <c>_bucket{le=…}</c> series count them.</summary>
/// <param name="UpperBoundMilliseconds">The bucket's upper bound (<c>le</c>) in milliseconds; <see cref="double.PositiveInfinity"/> for the last bucket.</param>
/// <param name="CumulativeCount">The requests that took at most <paramref name="UpperBoundMilliseconds"/>.</param>
public readonly record struct LatencyBucket(double UpperBoundMilliseconds, long CumulativeCount);
