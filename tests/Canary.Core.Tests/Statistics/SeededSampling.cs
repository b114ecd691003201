namespace Canary.Core.Tests.Statistics;

/// <summary>Deterministic random draws for the simulations.</summary>
internal static class SeededSampling
{
    /// <summary>Draws Binomial(n, p) by inversion; meant for small n·p, where it takes about n·p + 1 steps.</summary>
    public static int Binomial(Random random, int n, double p)
    {
        var u = random.NextDouble();
        var probability = Math.Pow(1 - p, n);
        var cumulative = probability;
        var k = 0;
        while (u > cumulative && k < n)
        {
            probability *= (n - k) / (double)(k + 1) * p / (1 - p);
            k++;
            cumulative += probability;
        }

        return k;
    }

    /// <summary>Draws n log-normal latencies with the given median (ms) and log-scale spread.</summary>
    public static double[] LogNormal(Random random, int n, double median, double sigma)
    {
        var values = new double[n];
        for (var i = 0; i < n; i += 2)
        {
            // Box–Muller gives two independent normals per pair of uniforms.
            var radius = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble()));
            var angle = 2 * Math.PI * random.NextDouble();
            values[i] = median * Math.Exp(sigma * radius * Math.Cos(angle));
            if (i + 1 < n)
            {
                values[i + 1] = median * Math.Exp(sigma * radius * Math.Sin(angle));
            }
        }

        return values;
    }
}
