namespace Canary.Statistics;

/// <summary>Kayenta's interquartile-range outlier detector in its "reduced sensitivity" mode.</summary>
internal static class OutlierFilter
{
    /// <summary>Returns the values inside min(p01, Q1 − k·IQR) … max(p99, Q3 + k·IQR), in their original order.</summary>
    public static IReadOnlyList<double> RemoveOutliers(IReadOnlyList<double> values, double factor)
    {
        if (values.Count == 0)
        {
            return values;
        }

        double[] sorted = [.. values];
        Array.Sort(sorted);
        var q1 = Percentile(sorted, 25);
        var q3 = Percentile(sorted, 75);
        var iqr = q3 - q1;
        var lowerFence = Math.Min(Percentile(sorted, 1), q1 - (factor * iqr));
        var upperFence = Math.Max(Percentile(sorted, 99), q3 + (factor * iqr));
        return values.Where(v => v >= lowerFence && v <= upperFence).ToArray();
    }

    /// <summary>
    /// The percentile estimate Apache Commons Math uses by default: position p·(n+1)/100, linear interpolation between
    /// the neighbouring order statistics, clamped to the smallest and largest value.
    /// </summary>
    public static double Percentile(double[] sorted, double percent)
    {
        var n = sorted.Length;
        var position = percent * (n + 1) / 100;
        if (position < 1)
        {
            return sorted[0];
        }

        if (position >= n)
        {
            return sorted[n - 1];
        }

        var index = (int)Math.Floor(position);
        var fraction = position - index;
        return sorted[index - 1] + (fraction * (sorted[index] - sorted[index - 1]));
    }
}
