namespace Canary.Statistics;

/// <summary>The outcome of a two-sided Wilcoxon rank-sum (Mann–Whitney U) test of x against y.</summary>
/// <param name="U">
/// The Mann–Whitney U of x: the number of pairs with x above y, ties counting one half. This is the statistic
/// R's <c>wilcox.test</c> prints as <c>W</c>.
/// </param>
/// <param name="RankSum">The sum of x's midranks in the pooled sample (Wilcoxon's W); U = RankSum − n(n+1)/2.</param>
/// <param name="Z">The normal score after the tie-corrected variance and the continuity correction.</param>
/// <param name="PValue">The two-sided p-value of the normal approximation.</param>
/// <param name="Estimate">The Hodges–Lehmann estimate of the shift of x relative to y (the median of all x − y).</param>
/// <param name="ConfidenceInterval">The confidence interval for the shift.</param>
/// <param name="XCount">How many values x had.</param>
/// <param name="YCount">How many values y had.</param>
public sealed record MannWhitneyResult(
    double U,
    double RankSum,
    double Z,
    double PValue,
    double Estimate,
    ConfidenceInterval ConfidenceInterval,
    int XCount,
    int YCount)
{
    /// <summary>Gets the common-language effect size (Vargha–Delaney A): P(x &gt; y) + ½ P(x = y).</summary>
    public double CommonLanguageEffectSize => U / ((double)XCount * YCount);
}
