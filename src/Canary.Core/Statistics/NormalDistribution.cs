namespace Canary.Statistics;

/// <summary>The standard normal distribution, computed without a numerics package so that Core stays light.</summary>
/// <remarks>
/// erfc uses the positive-term series of erf below 2, where it has no cancellation, and Laplace's continued fraction
/// above, evaluated with the modified Lentz method; both reach close to double precision. The quantile starts from
/// Abramowitz and Stegun 26.2.23 (error below 4.5e-4) and polishes it with Halley steps on the tail probability,
/// so extreme tails keep their relative accuracy.
/// </remarks>
internal static class NormalDistribution
{
    private const double InverseSqrtPi = 0.564189583547756286948;
    private const double InverseSqrtTwoPi = 0.398942280401432677940;
    private const double Sqrt2 = 1.41421356237309504880;

    /// <summary>Returns P(Z ≤ x).</summary>
    public static double Cdf(double x) => x < 0 ? 0.5 * Erfc(-x / Sqrt2) : 1 - (0.5 * Erfc(x / Sqrt2));

    /// <summary>Returns P(Z &gt; x), accurate in relative terms far into the upper tail.</summary>
    public static double UpperTail(double x) => x < 0 ? 1 - (0.5 * Erfc(-x / Sqrt2)) : 0.5 * Erfc(x / Sqrt2);

    /// <summary>Returns the density at x.</summary>
    public static double Density(double x) => InverseSqrtTwoPi * Math.Exp(-0.5 * x * x);

    /// <summary>Returns the x with P(Z ≤ x) = p.</summary>
    public static double Quantile(double p)
    {
        if (double.IsNaN(p) || p < 0 || p > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(p), p, "must be a probability between 0 and 1");
        }

        if (p == 0)
        {
            return double.NegativeInfinity;
        }

        if (p == 1)
        {
            return double.PositiveInfinity;
        }

        // 1 - p is exact for p in [0.5, 1], so the tail probability loses nothing.
        var tail = p < 0.5 ? p : 1 - p;
        var x = UpperTailQuantile(tail);
        return p < 0.5 ? -x : x;
    }

    private static double UpperTailQuantile(double tail)
    {
        var t = Math.Sqrt(-2 * Math.Log(tail));
        var x = t - ((2.515517 + (0.802853 * t) + (0.010328 * t * t))
                     / (1 + (1.432788 * t) + (0.189269 * t * t) + (0.001308 * t * t * t)));
        for (var i = 0; i < 10; i++)
        {
            var density = Density(x);
            if (density == 0)
            {
                break;
            }

            var u = (UpperTail(x) - tail) / density;
            var step = u / (1 - (x * u / 2));
            x += step;
            if (Math.Abs(step) <= 1e-15 * Math.Max(1, Math.Abs(x)))
            {
                break;
            }
        }

        return x;
    }

    private static double Erfc(double z)
    {
        if (z < 2)
        {
            return 1 - Erf(z);
        }

        if (z > 27)
        {
            return 0;
        }

        // erfc(z) = exp(-z²)/√π · 1/(z + (1/2)/(z + 1/(z + (3/2)/(z + …)))).
        const double tiny = 1e-300;
        var f = z;
        var c = f;
        var d = 0.0;
        for (var n = 1; n < 5000; n++)
        {
            var a = n / 2.0;
            d = z + (a * d);
            d = d == 0 ? tiny : 1 / d;
            c = z + (a / c);
            if (c == 0)
            {
                c = tiny;
            }

            var delta = c * d;
            f *= delta;
            if (Math.Abs(delta - 1) < 1e-16)
            {
                break;
            }
        }

        return Math.Exp(-z * z) * InverseSqrtPi / f;
    }

    private static double Erf(double z)
    {
        // erf(z) = 2/√π · exp(-z²) · Σ 2ⁿ z²ⁿ⁺¹ / (1·3·…·(2n+1)): every term is positive.
        var sign = z < 0 ? -1.0 : 1.0;
        z = Math.Abs(z);
        var term = z;
        var sum = z;
        var twoZSquared = 2 * z * z;
        for (var n = 1; n < 500; n++)
        {
            term *= twoZSquared / ((2 * n) + 1);
            sum += term;
            if (term < 1e-17 * sum)
            {
                break;
            }
        }

        return sign * 2 * InverseSqrtPi * Math.Exp(-z * z) * sum;
    }
}
