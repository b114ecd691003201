namespace Canary.Statistics;

/// <summary>
/// The two-sided Wilcoxon rank-sum (Mann–Whitney U) test with the normal approximation, as R's
/// <c>wilcox.test(x, y, exact = FALSE, correct = TRUE, conf.int = TRUE)</c> computes it.
/// </summary>
/// <remarks>
/// <para>
/// Ties get midranks, the variance of U is tie-corrected, and the z score carries a continuity correction of one half
/// towards zero. The confidence interval for the shift of x relative to y, and the Hodges–Lehmann estimate, are the
/// shifts d where the standardised statistic of x − d against y crosses the normal quantiles (the estimate: zero,
/// without continuity correction, as R does), found by bisection on [min(x) − max(y), max(x) − min(y)] with R's
/// rule that an interval end whose sign is already past the quantile is returned as is.
/// </para>
/// <para>
/// Where this differs from R and from Kayenta's port: the statistic is a step function of d, so its crossing is a
/// pairwise difference x_i − y_j, and where it is zero over a whole step any point of that step is a root. R's
/// <c>uniroot</c> (tolerance 1e-4) and Kayenta's Brent solver return some point near the crossing; this
/// implementation bisects to full precision from both sides, returns the midpoint of the set of roots, and snaps it
/// to the exact pairwise difference. The estimate is therefore exactly the median of all x_i − y_j. When both
/// samples are constant, the interval and the estimate are that difference, where R stops with an error and Kayenta
/// adds Gaussian noise first; when every value is the same, Z is 0 and the p-value 1.
/// </para>
/// </remarks>
public static class MannWhitneyTest
{
    /// <summary>The confidence level used when none is given.</summary>
    public const double DefaultConfidenceLevel = 0.95;

    private const int MaxBisections = 200;

    /// <summary>Runs the test with a confidence interval and the Hodges–Lehmann estimate of the shift of x.</summary>
    /// <param name="x">The sample whose shift is estimated, for example the canary's values.</param>
    /// <param name="y">The reference sample, for example the baseline's values.</param>
    /// <param name="confidenceLevel">The confidence level of the interval, strictly between 0 and 1.</param>
    /// <returns>The statistics, the p-value, the estimate and the interval.</returns>
    /// <exception cref="ArgumentException">A sample is empty or holds NaN or an infinity.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The confidence level is not strictly between 0 and 1.</exception>
    public static MannWhitneyResult Compute(
        IReadOnlyList<double> x, IReadOnlyList<double> y, double confidenceLevel = DefaultConfidenceLevel)
    {
        var statistic = Prepare(x, y);
        if (!(confidenceLevel > 0 && confidenceLevel < 1))
        {
            throw new ArgumentOutOfRangeException(
                nameof(confidenceLevel), confidenceLevel, "must be strictly between 0 and 1");
        }

        var (u, rankSum, z, pValue) = Test(statistic);
        double low, high, estimate;
        if (statistic.MinShift == statistic.MaxShift)
        {
            // Both samples are constant: the shift is known exactly.
            low = high = estimate = statistic.MinShift;
        }
        else
        {
            var alpha = 1 - confidenceLevel;
            low = Root(statistic, NormalDistribution.Quantile(1 - (alpha / 2)), continuityCorrection: true);
            high = Root(statistic, NormalDistribution.Quantile(alpha / 2), continuityCorrection: true);
            estimate = Root(statistic, 0, continuityCorrection: false);
        }

        return new MannWhitneyResult(
            u, rankSum, z, pValue, estimate, new ConfidenceInterval(low, high, confidenceLevel), x.Count, y.Count);
    }

    /// <summary>Returns only the two-sided p-value, which needs one ranking instead of a root search.</summary>
    /// <param name="x">The first sample.</param>
    /// <param name="y">The second sample.</param>
    /// <returns>The p-value of the normal approximation with tie and continuity correction.</returns>
    /// <exception cref="ArgumentException">A sample is empty or holds NaN or an infinity.</exception>
    public static double PValue(IReadOnlyList<double> x, IReadOnlyList<double> y) => Test(Prepare(x, y)).PValue;

    private static RankSumStatistic Prepare(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        CheckSample(x, nameof(x));
        CheckSample(y, nameof(y));
        return new RankSumStatistic(x, y);
    }

    private static void CheckSample(IReadOnlyList<double> sample, string name)
    {
        ArgumentNullException.ThrowIfNull(sample, name);
        if (sample.Count == 0)
        {
            throw new ArgumentException("must hold at least one value", name);
        }

        for (var i = 0; i < sample.Count; i++)
        {
            if (!double.IsFinite(sample[i]))
            {
                throw new ArgumentException($"holds {sample[i]} at index {i}; only finite values can be ranked", name);
            }
        }
    }

    private static (double U, double RankSum, double Z, double PValue) Test(RankSumStatistic statistic)
    {
        var (rankSum, _) = statistic.Evaluate(0);
        var (centered, sigma) = statistic.Standardise(0);
        double nx = statistic.XCount;
        var u = rankSum - (nx * (nx + 1) / 2);
        if (sigma == 0)
        {
            return (u, rankSum, 0, 1);
        }

        var z = (centered - (Math.Sign(centered) * 0.5)) / sigma;
        var pValue = Math.Min(1, 2 * NormalDistribution.UpperTail(Math.Abs(z)));
        return (u, rankSum, z, pValue);
    }

    private static double Root(RankSumStatistic statistic, double quantile, bool continuityCorrection)
    {
        double lo = statistic.MinShift, hi = statistic.MaxShift;
        if (statistic.Deviation(lo, quantile, continuityCorrection) <= 0)
        {
            return lo;
        }

        if (statistic.Deviation(hi, quantile, continuityCorrection) >= 0)
        {
            return hi;
        }

        // The deviation does not increase with the shift; the roots lie between the last shift where it is still
        // positive and the first where it is negative, which coincide unless it is exactly zero over a step.
        var lastPositive = Boundary(lo, hi, d => statistic.Deviation(d, quantile, continuityCorrection) > 0);
        var firstNegative = Boundary(lo, hi, d => statistic.Deviation(d, quantile, continuityCorrection) >= 0);
        return (statistic.NearestDifference(lastPositive) + statistic.NearestDifference(firstNegative)) / 2;
    }

    /// <summary>Bisects for the point where a predicate that holds on the left stops holding.</summary>
    private static double Boundary(double lo, double hi, Func<double, bool> holds)
    {
        var tolerance = 1e-12 * (hi - lo);
        for (var i = 0; i < MaxBisections && hi - lo > tolerance; i++)
        {
            var mid = lo + ((hi - lo) / 2);
            if (mid <= lo || mid >= hi)
            {
                break;
            }

            if (holds(mid))
            {
                lo = mid;
            }
            else
            {
                hi = mid;
            }
        }

        return lo + ((hi - lo) / 2);
    }
}
