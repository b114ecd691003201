namespace Canary.Statistics;

/// <summary>
/// An e-process for the ratio ρ = (canary event rate) / (baseline event rate), from per-interval event counts and
/// exposures (requests).
/// </summary>
/// <remarks>
/// <para>
/// Model: in each interval, canary and baseline events are Poisson with means ρ·λ·n_c and λ·n_b, where n are the
/// requests each side served and λ may change from interval to interval (a traffic peak or an incident that hits both
/// sides). Conditional on the interval's total t = x_c + x_b, the canary's count is Binomial(t, θ(ρ)) with
/// θ(ρ) = ρs / (ρs + 1) and s = n_c / n_b; λ drops out, so common changes in the error rate cannot raise false alarms,
/// and s may change between intervals (the canary's traffic weight grows).
/// </para>
/// <para>
/// For an alternative ratio ρ_k the interval's likelihood ratio against the null ratio ρ₀ is
/// (ρ_k/ρ₀)^x_c · ((1 + ρ₀s) / (1 + ρ_k s))^t. With ρ_k &gt; ρ₀ it increases with x_c, so its expectation is at most 1
/// whenever the true ratio is at most ρ₀ (monotone likelihood ratio); the running product is then a nonnegative
/// supermartingale, and so is any mixture of such products with fixed weights. This class mixes
/// <see cref="GridSize"/> alternatives spaced evenly in log ρ over a factor <see cref="GridSpan"/> beyond ρ₀ (above it
/// to detect a worse canary, below it to detect a better one), with equal weights. By Ville's inequality the mixture
/// exceeds 1/α at any time, ever, with probability at most α under the null, which is what makes looking after every
/// interval safe. A discrete mixture is used instead of a Beta mixture over θ because θ₀ changes with s, so the
/// likelihood has no two-number sufficient statistic; the grid keeps the state at 16 numbers (17 with equal rates).
/// </para>
/// <para>
/// When the alternatives lie below a null ratio above 1 (the promotion test of "the canary is at most ρ₀ times
/// worse"), one more alternative sits at ρ = 1, equal rates, with <see cref="EqualRatesWeight"/> of the mixture's
/// weight; the grid shares the rest. Equal rates is what a healthy canary has, and the growth-optimal alternative
/// is the true ratio, so this weight is where the evidence of a healthy canary accrues: a mixture pays log(1/w) in
/// evidence for the weight w of the alternative nearest the truth, and here that is log 2 instead of log 16, which
/// cuts the requests a healthy canary needs for acceptance by about a quarter. The weights are fixed in advance, so
/// the mixture is still an e-process.
/// </para>
/// <para>
/// Under per-request Bernoulli sampling instead of Poisson, the conditional law given t is hypergeometric when both
/// rates are equal, which Hoeffding's theorem puts below the binomial in convex order, so the test stays conservative
/// for an A/A comparison; for unequal rates the Poisson model is accurate to O(rate).
/// </para>
/// </remarks>
internal sealed class RateRatioEProcess
{
    /// <summary>How many alternatives the mixture holds.</summary>
    public const int GridSize = 16;

    /// <summary>The factor between the null ratio and the farthest alternative.</summary>
    public const double GridSpan = 20;

    /// <summary>The mixture's weight on equal rates, when that is an alternative (alternatives below a null above 1).</summary>
    public const double EqualRatesWeight = 0.5;

    private readonly double _nullRatio;
    private readonly double[] _ratios;
    private readonly double[] _logRatiosOverNull;
    private readonly double[] _logWeights;
    private readonly double[] _logLikelihoodRatios;

    /// <summary>Initialises the e-process at 1.</summary>
    /// <param name="nullRatio">The boundary ρ₀ of the null hypothesis.</param>
    /// <param name="alternativesAbove">
    /// <see langword="true"/> to test H₀: ρ ≤ ρ₀ against larger ratios; <see langword="false"/> to test H₀: ρ ≥ ρ₀
    /// against smaller ones.
    /// </param>
    public RateRatioEProcess(double nullRatio, bool alternativesAbove)
    {
        _nullRatio = nullRatio;
        var count = Components(nullRatio, alternativesAbove);
        var gridWeight = count > GridSize ? (1 - EqualRatesWeight) / GridSize : 1.0 / GridSize;
        _ratios = new double[count];
        _logRatiosOverNull = new double[count];
        _logWeights = new double[count];
        _logLikelihoodRatios = new double[count];
        for (var k = 0; k < count; k++)
        {
            var step = Math.Pow(GridSpan, (k + 1.0) / GridSize);
            _ratios[k] = k == GridSize ? 1 : alternativesAbove ? nullRatio * step : nullRatio / step;
            _logRatiosOverNull[k] = Math.Log(_ratios[k] / nullRatio);
            _logWeights[k] = Math.Log(k == GridSize ? EqualRatesWeight : gridWeight);
        }
    }

    /// <summary>Initialises the e-process from the log-likelihood ratios of an earlier one with the same null and direction.</summary>
    /// <param name="nullRatio">The boundary ρ₀ of the null hypothesis.</param>
    /// <param name="alternativesAbove">Whether the alternatives lie above ρ₀.</param>
    /// <param name="logLikelihoodRatios">The saved <see cref="LogLikelihoodRatios"/>, or an empty list to start at 1.</param>
    /// <exception cref="ArgumentException">The list holds neither 0 nor <see cref="Components"/> finite values.</exception>
    public RateRatioEProcess(double nullRatio, bool alternativesAbove, IReadOnlyList<double> logLikelihoodRatios)
        : this(nullRatio, alternativesAbove)
    {
        ArgumentNullException.ThrowIfNull(logLikelihoodRatios);
        if (logLikelihoodRatios.Count == 0)
        {
            return;
        }

        if (logLikelihoodRatios.Count != _logLikelihoodRatios.Length || logLikelihoodRatios.Any(v => !double.IsFinite(v)))
        {
            throw new ArgumentException($"must hold {_logLikelihoodRatios.Length} finite values, not {logLikelihoodRatios.Count}", nameof(logLikelihoodRatios));
        }

        for (var k = 0; k < _logLikelihoodRatios.Length; k++)
        {
            _logLikelihoodRatios[k] = logLikelihoodRatios[k];
        }

        LogEValue = Mix();
    }

    /// <summary>Returns how many alternatives, and so saved log-likelihood ratios, an e-process with this null and direction has.</summary>
    /// <param name="nullRatio">The boundary ρ₀ of the null hypothesis.</param>
    /// <param name="alternativesAbove">Whether the alternatives lie above ρ₀.</param>
    /// <returns><see cref="GridSize"/>, plus one for the equal-rates alternative below a null above 1.</returns>
    public static int Components(double nullRatio, bool alternativesAbove) => !alternativesAbove && nullRatio > 1 ? GridSize + 1 : GridSize;

    /// <summary>Gets the natural logarithm of the e-value; 0 before any evidence.</summary>
    public double LogEValue { get; private set; }

    /// <summary>Gets a copy of each alternative's running log-likelihood ratio: the state to save and restore the e-process from.</summary>
    public double[] LogLikelihoodRatios => (double[])_logLikelihoodRatios.Clone();

    /// <summary>Multiplies in one interval's likelihood ratios.</summary>
    /// <param name="canaryExposure">The canary's requests in the interval.</param>
    /// <param name="canaryEvents">The canary's events (errors, slow requests) in the interval.</param>
    /// <param name="baselineExposure">The baseline's requests in the interval.</param>
    /// <param name="baselineEvents">The baseline's events in the interval.</param>
    public void Update(double canaryExposure, long canaryEvents, double baselineExposure, long baselineEvents)
    {
        var total = canaryEvents + baselineEvents;
        if (canaryExposure <= 0 || baselineExposure <= 0 || total == 0)
        {
            // One side unobserved or no events: the conditional likelihood does not depend on ρ.
            return;
        }

        var share = canaryExposure / baselineExposure;
        var nullTerm = Math.Log(1 + (_nullRatio * share));
        for (var k = 0; k < _logLikelihoodRatios.Length; k++)
        {
            _logLikelihoodRatios[k] += (canaryEvents * _logRatiosOverNull[k])
                                       - (total * (Math.Log(1 + (_ratios[k] * share)) - nullTerm));
        }

        LogEValue = Mix();
    }

    /// <summary>Returns log(Σ w_k exp(l_k)), shifted by the largest term so that nothing overflows.</summary>
    private double Mix()
    {
        var max = double.NegativeInfinity;
        for (var k = 0; k < _logLikelihoodRatios.Length; k++)
        {
            max = Math.Max(max, _logWeights[k] + _logLikelihoodRatios[k]);
        }

        var sum = 0.0;
        for (var k = 0; k < _logLikelihoodRatios.Length; k++)
        {
            sum += Math.Exp(_logWeights[k] + _logLikelihoodRatios[k] - max);
        }

        return max + Math.Log(sum);
    }
}
