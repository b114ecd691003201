namespace Canary.Statistics;

/// <summary>
/// The rank-sum statistic of x − d against y as a function of the shift d, evaluated in linear time by merging the
/// two samples sorted once.
/// </summary>
internal sealed class RankSumStatistic
{
    private readonly double[] _x;
    private readonly double[] _y;

    public RankSumStatistic(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        _x = [.. x];
        _y = [.. y];
        Array.Sort(_x);
        Array.Sort(_y);
    }

    public int XCount => _x.Length;

    public int YCount => _y.Length;

    /// <summary>Gets the smallest shift worth searching: below it every x − d lies above every y.</summary>
    public double MinShift => _x[0] - _y[^1];

    /// <summary>Gets the largest shift worth searching: above it every x − d lies below every y.</summary>
    public double MaxShift => _x[^1] - _y[0];

    /// <summary>Ranks the pooled sample of x − shift and y with midranks for ties.</summary>
    /// <returns>The rank sum of x and Σ(t³ − t) over the groups of tied values.</returns>
    public (double RankSum, double TieTerm) Evaluate(double shift)
    {
        int i = 0, j = 0, position = 0;
        double rankSum = 0, tieTerm = 0;
        while (i < _x.Length || j < _y.Length)
        {
            var value = j >= _y.Length || (i < _x.Length && _x[i] - shift <= _y[j]) ? _x[i] - shift : _y[j];
            var inX = 0;
            while (i < _x.Length && _x[i] - shift == value)
            {
                inX++;
                i++;
            }

            var inY = 0;
            while (j < _y.Length && _y[j] == value)
            {
                inY++;
                j++;
            }

            double tied = inX + inY;
            rankSum += inX * (position + ((tied + 1) / 2));
            tieTerm += (tied * tied * tied) - tied;
            position += inX + inY;
        }

        return (rankSum, tieTerm);
    }

    /// <summary>Returns U − n·m/2 and the tie-corrected standard deviation of U at the given shift.</summary>
    public (double Centered, double Sigma) Standardise(double shift)
    {
        var (rankSum, tieTerm) = Evaluate(shift);
        double nx = _x.Length, ny = _y.Length, n = nx + ny;
        var centered = rankSum - (nx * (nx + 1) / 2) - (nx * ny / 2);
        var variance = nx * ny / 12 * ((n + 1) - (tieTerm / (n * (n - 1))));
        return (centered, variance > 0 ? Math.Sqrt(variance) : 0);
    }

    /// <summary>
    /// R's <c>wdiff</c>: the standardised statistic at the shift, minus the target quantile. It does not increase
    /// with the shift, and it changes only where some x − d meets some y.
    /// </summary>
    public double Deviation(double shift, double quantile, bool continuityCorrection)
    {
        var (centered, sigma) = Standardise(shift);
        var correction = continuityCorrection ? Math.Sign(centered) * 0.5 : 0;
        if (sigma == 0)
        {
            // Only when every value ties at this shift; the sign still tells the root-finder where to go.
            return Math.Sign(centered - correction) - Math.Sign(quantile);
        }

        return ((centered - correction) / sigma) - quantile;
    }

    /// <summary>Returns the pairwise difference x_i − y_j nearest to <paramref name="shift"/>.</summary>
    public double NearestDifference(double shift)
    {
        var best = _x[0] - _y[0];
        foreach (var xi in _x)
        {
            // The y nearest to xi − shift gives the difference nearest to shift for this xi.
            var index = Array.BinarySearch(_y, xi - shift);
            if (index < 0)
            {
                index = ~index;
            }

            for (var k = Math.Max(0, index - 1); k <= Math.Min(_y.Length - 1, index); k++)
            {
                var difference = xi - _y[k];
                if (Math.Abs(difference - shift) < Math.Abs(best - shift))
                {
                    best = difference;
                }
            }
        }

        return best;
    }
}
