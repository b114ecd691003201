using Canary.Analysis;

namespace Canary.Testing.Simulation;

/// <summary>
/// Request counts in log-spaced latency buckets (10% apart, 0.1 ms to about 2 minutes), from which quantiles are
/// read the way Prometheus' <c>histogram_quantile</c> reads them: linear interpolation inside the bucket.
/// </summary>
public sealed class LatencyHistogram
{
    private const double FirstBoundMs = 0.1;
    private const double Growth = 1.1;
    private const int BucketCount = 150;

    private static readonly double[] UpperBounds = CreateBounds();

    // Allocated on first use: most windows of a canary at weight 0 record nothing.
    private int[]? _counts;

    /// <summary>Gets how many durations were recorded.</summary>
    public long Count { get; private set; }

    /// <summary>Records one request's duration.</summary>
    /// <param name="milliseconds">The duration in milliseconds.</param>
    public void Record(double milliseconds)
    {
        var index = Array.BinarySearch(UpperBounds, milliseconds);
        _counts ??= new int[BucketCount + 1];
        _counts[index < 0 ? ~index : index]++;
        Count++;
    }

    /// <summary>Adds another histogram's counts to this one.</summary>
    /// <param name="other">The histogram to add.</param>
    public void Add(LatencyHistogram other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other._counts is null)
        {
            return;
        }

        _counts ??= new int[BucketCount + 1];
        for (var i = 0; i < _counts.Length; i++)
        {
            _counts[i] += other._counts[i];
        }

        Count += other.Count;
    }

    /// <summary>Estimates a quantile, or returns <see cref="double.NaN"/> when nothing was recorded.</summary>
    /// <param name="quantile">The quantile, between 0 and 1.</param>
    /// <returns>The estimated duration in milliseconds.</returns>
    public double Quantile(double quantile)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(quantile, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(quantile, 1);
        if (_counts is null || Count == 0)
        {
            return double.NaN;
        }

        var rank = quantile * Count;
        long seen = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            if (seen + _counts[i] >= rank && _counts[i] > 0)
            {
                if (i == BucketCount)
                {
                    return UpperBounds[^1];
                }

                var lower = i == 0 ? 0 : UpperBounds[i - 1];
                return lower + ((UpperBounds[i] - lower) * (rank - seen) / _counts[i]);
            }

            seen += _counts[i];
        }

        return UpperBounds[^1];
    }

    /// <summary>Returns the counts as a cumulative histogram, as Prometheus exposes one: every bucket bound, then +∞.</summary>
    /// <returns>The buckets, in increasing order of their bounds.</returns>
    public IReadOnlyList<LatencyBucket> ToBuckets()
    {
        var buckets = new LatencyBucket[BucketCount + 1];
        long cumulative = 0;
        for (var i = 0; i < BucketCount; i++)
        {
            cumulative += _counts?[i] ?? 0;
            buckets[i] = new LatencyBucket(UpperBounds[i], cumulative);
        }

        buckets[BucketCount] = new LatencyBucket(double.PositiveInfinity, Count);
        return buckets;
    }

    private static double[] CreateBounds()
    {
        var bounds = new double[BucketCount];
        var bound = FirstBoundMs;
        for (var i = 0; i < bounds.Length; i++)
        {
            bounds[i] = bound;
            bound *= Growth;
        }

        return bounds;
    }
}
