namespace Canary.Cli.Tests.Demo;

/// <summary>Tolerances for counts of independent draws, wide enough that a correct implementation practically never fails.</summary>
internal static class Binomial
{
    /// <summary>Five standard deviations of a binomial count: a correct split falls outside with probability below one in a million.</summary>
    public static double FiveSigma(int draws, double probability) => 5 * Math.Sqrt(draws * probability * (1 - probability));
}
