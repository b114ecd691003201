namespace Canary.Statistics;

/// <summary>The score of one metric group.</summary>
/// <param name="Name">The group's name.</param>
/// <param name="Score">
/// 100 × Pass / (Pass + High + Low + NoDataFailMetric); 100 when that denominator is 0 (see <paramref name="HasData"/>).
/// </param>
/// <param name="HasData">Whether any metric in the group counted; a group without one scores 100, as in Kayenta.</param>
/// <param name="Weight">The group's share of the summary score, in percent.</param>
/// <param name="PassCount">How many metrics in the group passed.</param>
/// <param name="FailCount">How many were High, Low or NoDataFailMetric.</param>
/// <param name="MetricCount">How many unmuted metrics the group holds, counted or not.</param>
public sealed record GroupScore(
    string Name, double Score, bool HasData, double Weight, int PassCount, int FailCount, int MetricCount);
