using System.Globalization;

namespace Canary.Statistics;

/// <summary>
/// An always-valid sequential test of the canary's error rate against the baseline's (or the primary's), safe to
/// consult after every interval: looking often does not raise the false-rollback or false-promotion rate.
/// </summary>
/// <remarks>
/// <para>
/// Each interval's error counts are modelled as Poisson with means ρ·λ·n_c and λ·n_b (n = requests, λ the baseline's
/// error rate in that interval, free to change). Given the interval's total errors t, the canary's errors are
/// Binomial(t, ρs / (ρs + 1)) with s = n_c / n_b, whatever λ is: the test looks only at how the errors split between the
/// two sides relative to how the traffic split, so an incident that raises both rates does not count against the
/// canary, and the canary's traffic weight may change between intervals.
/// </para>
/// <para>
/// Two e-processes run on these conditional likelihoods. The rollback e-value mixes the likelihood ratios of 16
/// alternatives ρ from <see cref="SequentialTestOptions.RollbackRatio"/> up to 20 times it against the null
/// ρ = RollbackRatio; under any ρ ≤ RollbackRatio it is a nonnegative supermartingale with initial value 1, so by
/// Ville's inequality it ever reaches 1/α with probability at most α (<see cref="SequentialTestOptions.FalseRollbackRate"/>).
/// The promotion e-value does the same below <see cref="SequentialTestOptions.PromotionRatio"/> with β
/// (<see cref="SequentialTestOptions.FalsePromotionRate"/>). Both guarantees hold at every interval simultaneously,
/// so no correction for repeated looks is needed; the price is a somewhat later decision than a fixed-sample test
/// run once at the right moment.
/// </para>
/// <para>
/// The verdict is sticky: once the rollback e-value has reached its threshold (with the minimum requests seen) the
/// verdict stays Reject; once the promotion e-value has, it stays Accept unless the rollback test later rejects,
/// which takes precedence. The state is the four cumulative counts and the two mixtures' 16 or 17 log-likelihood ratios each.
/// </para>
/// </remarks>
public sealed class ErrorRateSequentialTest
{
    private readonly RateRatioEProcess _rollback;
    private readonly RateRatioEProcess _promotion;

    /// <summary>Initialises the test with no observations.</summary>
    /// <param name="options">The settings; <see langword="null"/> uses the defaults.</param>
    /// <exception cref="ArgumentException">The settings are not valid; the message lists every problem.</exception>
    public ErrorRateSequentialTest(ErrorRateSequentialOptions? options = null)
    {
        Options = options ?? new ErrorRateSequentialOptions();
        Options.EnsureValid(nameof(options));
        _rollback = new RateRatioEProcess(Options.RollbackRatio, alternativesAbove: true);
        _promotion = new RateRatioEProcess(Options.PromotionRatio, alternativesAbove: false);
        Decision = MakeDecision(SequentialVerdict.Continue, "No interval observed yet.");
    }

    /// <summary>Gets the settings.</summary>
    public ErrorRateSequentialOptions Options { get; }

    /// <summary>Gets how many intervals have been observed.</summary>
    public int Intervals { get; private set; }

    /// <summary>Gets the canary's requests so far.</summary>
    public long CanaryRequests { get; private set; }

    /// <summary>Gets the canary's errors so far.</summary>
    public long CanaryErrors { get; private set; }

    /// <summary>Gets the baseline's requests so far.</summary>
    public long BaselineRequests { get; private set; }

    /// <summary>Gets the baseline's errors so far.</summary>
    public long BaselineErrors { get; private set; }

    /// <summary>Gets the latest decision.</summary>
    public SequentialDecision Decision { get; private set; }

    /// <summary>Adds one interval's counts and returns the verdict so far.</summary>
    /// <param name="canaryRequests">The canary's requests in this interval only (not cumulative).</param>
    /// <param name="canaryErrors">The canary's failed requests in this interval.</param>
    /// <param name="baselineRequests">The baseline's (or primary's) requests in this interval.</param>
    /// <param name="baselineErrors">The baseline's failed requests in this interval.</param>
    /// <returns>The verdict and the two e-values.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A count is negative, or errors exceed requests.</exception>
    public SequentialDecision Update(long canaryRequests, long canaryErrors, long baselineRequests, long baselineErrors)
    {
        CheckCounts(canaryRequests, canaryErrors, nameof(canaryRequests), nameof(canaryErrors));
        CheckCounts(baselineRequests, baselineErrors, nameof(baselineRequests), nameof(baselineErrors));

        Intervals++;
        CanaryRequests += canaryRequests;
        CanaryErrors += canaryErrors;
        BaselineRequests += baselineRequests;
        BaselineErrors += baselineErrors;
        _rollback.Update(canaryRequests, canaryErrors, baselineRequests, baselineErrors);
        _promotion.Update(canaryRequests, canaryErrors, baselineRequests, baselineErrors);

        var enough = CanaryRequests >= Options.MinimumCanaryRequests && BaselineRequests >= Options.MinimumBaselineRequests;
        var rollback = enough && _rollback.LogEValue >= -Math.Log(Options.FalseRollbackRate);
        var promotion = enough && _promotion.LogEValue >= -Math.Log(Options.FalsePromotionRate);
        Decision = Decision.Verdict == SequentialVerdict.Reject || rollback
            ? MakeDecision(
                SequentialVerdict.Reject,
                Decision.Verdict == SequentialVerdict.Reject
                    ? Decision.Reason
                    : $"The canary's error rate exceeds {Options.RollbackRatio}× the baseline's: {Summary()}.")
            : Decision.Verdict == SequentialVerdict.Accept || promotion
                ? MakeDecision(
                    SequentialVerdict.Accept,
                    Decision.Verdict == SequentialVerdict.Accept
                        ? Decision.Reason
                        : $"The canary's error rate stays below {Options.PromotionRatio}× the baseline's: {Summary()}.")
                : MakeDecision(
                    SequentialVerdict.Continue,
                    enough ? "Not enough evidence either way yet." : "Too few requests for a verdict yet.");
        return Decision;
    }

    private string Summary() => string.Create(
        CultureInfo.InvariantCulture,
        $"canary {CanaryErrors}/{CanaryRequests} errors, baseline {BaselineErrors}/{BaselineRequests} after {Intervals} intervals");

    private SequentialDecision MakeDecision(SequentialVerdict verdict, string reason) => new(
        verdict,
        SequentialEvidence.ToEValue(_rollback.LogEValue),
        1 / Options.FalseRollbackRate,
        SequentialEvidence.ToEValue(_promotion.LogEValue),
        1 / Options.FalsePromotionRate,
        reason);

    private static void CheckCounts(long requests, long errors, string requestsName, string errorsName)
    {
        if (requests < 0)
        {
            throw new ArgumentOutOfRangeException(requestsName, requests, "must be at least 0");
        }

        if (errors < 0 || errors > requests)
        {
            throw new ArgumentOutOfRangeException(errorsName, errors, $"must be between 0 and {requestsName} ({requests})");
        }
    }
}
