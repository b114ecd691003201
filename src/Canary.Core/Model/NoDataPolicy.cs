namespace Canary.Model;

/// <summary>What a metric check does when its provider has no data, for example while a low-traffic service has seen few requests.</summary>
/// <param name="Action">Whether no data fails the check or holds the canary where it is.</param>
/// <param name="MaxHoldIntervals">With <see cref="NoDataAction.Hold"/>, how many consecutive intervals may hold before the check fails.</param>
/// <param name="MinRequests">With <see cref="NoDataAction.Hold"/>, a result over fewer requests than this also counts as no data.</param>
public sealed record NoDataPolicy(NoDataAction Action, int MaxHoldIntervals = 0, long MinRequests = 0)
{
    /// <summary>The policy Flagger has: no data is a failed check.</summary>
    public static readonly NoDataPolicy Fail = new(NoDataAction.Fail);
}
