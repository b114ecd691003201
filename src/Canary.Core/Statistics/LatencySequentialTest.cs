using System.Globalization;

namespace Canary.Statistics;

/// <summary>
/// An always-valid sequential test of the canary's latency against the baseline's, safe to consult after every
/// interval: it compares how often each side is slower than the baseline's own quantiles.
/// </summary>
/// <remarks>
/// <para>
/// For each configured quantile q (say p99) the test keeps a threshold τ: the q-quantile of the latest baseline
/// latencies (<see cref="LatencySequentialOptions.ThresholdWindow"/>), estimated only from intervals before the one being
/// tested. In each interval it counts the requests slower than τ on each side and treats those counts as the events of
/// <see cref="ErrorRateSequentialTest"/>: given their total, the canary's share is Binomial with a probability fixed by
/// the ratio ρ of the two sides' exceedance rates and by their request counts. A canary whose latency distribution
/// equals the baseline's has ρ = 1 at any τ.
/// </para>
/// <para>
/// Soundness: τ is fixed before the interval's data are seen, and both sides are measured against the same τ, so each
/// interval's conditional likelihood ratio has expectation at most 1 under H₀ whatever τ is; estimating τ costs
/// precision, not validity. The test does not assume that the baseline exceeds τ exactly 1 − q of the time. The
/// rollback test rejects if, for any quantile, the e-value for H₀: ρ ≤ <see cref="SequentialTestOptions.RollbackRatio"/>
/// reaches k/α, with k quantiles (a Bonferroni split of α). The promotion test accepts only once, for every quantile,
/// the e-value for H₀: ρ ≥ <see cref="SequentialTestOptions.PromotionRatio"/> reaches 1/β; a canary that is too slow at
/// even one quantile then keeps that quantile's null true, so no split of β is needed (an intersection–union test).
/// </para>
/// <para>
/// The first intervals only learn thresholds: quantile q starts once the window holds
/// <see cref="LatencySequentialOptions.RequiredSamples"/> values (1,000 for p99 by default). Latencies are treated as
/// conditionally independent given the interval, as for error counts; slowdowns common to both sides cancel out.
/// </para>
/// </remarks>
public sealed class LatencySequentialTest
{
    private readonly QuantileState[] _quantiles;
    private readonly double[] _window;
    private readonly double[] _scratch;
    private int _windowCount;
    private int _windowNext;

    /// <summary>Initialises the test with no observations.</summary>
    /// <param name="options">The settings; <see langword="null"/> uses the defaults.</param>
    /// <exception cref="ArgumentException">The settings are not valid; the message lists every problem.</exception>
    public LatencySequentialTest(LatencySequentialOptions? options = null)
    {
        Options = options ?? new LatencySequentialOptions();
        Options.EnsureValid(nameof(options));
        _quantiles = Options.Quantiles.Select(q => new QuantileState(q, Options)).ToArray();
        _window = new double[Options.ThresholdWindow];
        _scratch = new double[Options.ThresholdWindow];
        Decision = MakeDecision(SequentialVerdict.Continue, "No interval observed yet.");
    }

    /// <summary>Gets the settings.</summary>
    public LatencySequentialOptions Options { get; }

    /// <summary>Gets how many intervals have been observed.</summary>
    public int Intervals { get; private set; }

    /// <summary>Gets the canary's requests so far.</summary>
    public long CanaryRequests { get; private set; }

    /// <summary>Gets the baseline's requests so far.</summary>
    public long BaselineRequests { get; private set; }

    /// <summary>Gets the threshold each quantile will test the next interval against; NaN until it has enough data.</summary>
    public IReadOnlyList<double> Thresholds => _quantiles.Select(q => q.Threshold).ToArray();

    /// <summary>Gets the latest decision.</summary>
    public SequentialDecision Decision { get; private set; }

    private double RollbackThreshold => _quantiles.Length / Options.FalseRollbackRate;

    /// <summary>Adds one interval's latencies and returns the verdict so far.</summary>
    /// <param name="canaryLatencies">The latencies of the canary's requests in this interval only.</param>
    /// <param name="baselineLatencies">The latencies of the baseline's (or primary's) requests in this interval.</param>
    /// <returns>The verdict; the e-values are the largest rollback and the smallest promotion e-value over the quantiles.</returns>
    /// <exception cref="ArgumentException">A latency is NaN or infinite.</exception>
    public SequentialDecision Update(IReadOnlyList<double> canaryLatencies, IReadOnlyList<double> baselineLatencies)
    {
        var canary = ToCheckedArray(canaryLatencies, nameof(canaryLatencies));
        var baseline = ToCheckedArray(baselineLatencies, nameof(baselineLatencies));

        Intervals++;
        CanaryRequests += canary.Length;
        BaselineRequests += baseline.Length;
        foreach (var quantile in _quantiles)
        {
            quantile.Observe(canary, baseline);
        }

        foreach (var latency in baseline)
        {
            _window[_windowNext] = latency;
            _windowNext = (_windowNext + 1) % _window.Length;
            _windowCount = Math.Min(_windowCount + 1, _window.Length);
        }

        foreach (var quantile in _quantiles.Where(q => _windowCount >= q.RequiredSamples))
        {
            quantile.Threshold = Quantile(quantile.Level);
        }

        var enough = CanaryRequests >= Options.MinimumCanaryRequests && BaselineRequests >= Options.MinimumBaselineRequests;
        var slow = enough
            ? _quantiles.FirstOrDefault(q => q.Rollback.LogEValue >= Math.Log(RollbackThreshold))
            : null;
        var promotion = enough
            && _quantiles.All(q => q.Started && q.Promotion.LogEValue >= -Math.Log(Options.FalsePromotionRate));

        Decision = Decision.Verdict == SequentialVerdict.Reject || slow is not null
            ? MakeDecision(
                SequentialVerdict.Reject,
                Decision.Verdict == SequentialVerdict.Reject
                    ? Decision.Reason
                    : $"The canary exceeds the baseline's {slow!.Describe()} more than {Options.RollbackRatio}× as often as the baseline does.")
            : Decision.Verdict == SequentialVerdict.Accept || promotion
                ? MakeDecision(
                    SequentialVerdict.Accept,
                    Decision.Verdict == SequentialVerdict.Accept
                        ? Decision.Reason
                        : $"At every quantile the canary stays below {Options.PromotionRatio}× the baseline's exceedance rate: "
                          + string.Join("; ", _quantiles.Select(q => q.Describe())) + ".")
                : MakeDecision(
                    SequentialVerdict.Continue,
                    string.Create(CultureInfo.InvariantCulture, $"Not enough evidence yet after {Intervals} intervals."));
        return Decision;
    }

    private SequentialDecision MakeDecision(SequentialVerdict verdict, string reason) => new(
        verdict,
        SequentialEvidence.ToEValue(_quantiles.Max(q => q.Rollback.LogEValue)),
        RollbackThreshold,
        SequentialEvidence.ToEValue(_quantiles.Min(q => q.Promotion.LogEValue)),
        1 / Options.FalsePromotionRate,
        reason);

    private double Quantile(double level)
    {
        Array.Copy(_window, _scratch, _windowCount);
        var rank = Math.Max(0, (int)Math.Ceiling((level * _windowCount) - 1e-9) - 1);
        return Select(_scratch, _windowCount, rank);
    }

    /// <summary>Returns the k-th smallest of the first n values (Hoare's selection), reordering them.</summary>
    private static double Select(double[] values, int n, int k)
    {
        int lo = 0, hi = n - 1;
        while (lo < hi)
        {
            var pivot = values[lo + ((hi - lo) / 2)];
            int i = lo, j = hi;
            while (i <= j)
            {
                while (values[i] < pivot)
                {
                    i++;
                }

                while (values[j] > pivot)
                {
                    j--;
                }

                if (i <= j)
                {
                    (values[i], values[j]) = (values[j], values[i]);
                    i++;
                    j--;
                }
            }

            if (k <= j)
            {
                hi = j;
            }
            else if (k >= i)
            {
                lo = i;
            }
            else
            {
                return values[k];
            }
        }

        return values[k];
    }

    private static double[] ToCheckedArray(IReadOnlyList<double> latencies, string name)
    {
        ArgumentNullException.ThrowIfNull(latencies, name);

        // Arrays are read in place: indexing through the interface costs more than the statistics.
        var values = latencies as double[] ?? [.. latencies];
        for (var i = 0; i < values.Length; i++)
        {
            if (!double.IsFinite(values[i]))
            {
                throw new ArgumentException($"holds {values[i]} at index {i}; latencies must be finite", name);
            }
        }

        return values;
    }

    private sealed class QuantileState(double level, LatencySequentialOptions options)
    {
        public double Level { get; } = level;

        public int RequiredSamples { get; } = options.RequiredSamples(level);

        public double Threshold { get; set; } = double.NaN;

        public bool Started { get; private set; }

        public RateRatioEProcess Rollback { get; } = new(options.RollbackRatio, alternativesAbove: true);

        public RateRatioEProcess Promotion { get; } = new(options.PromotionRatio, alternativesAbove: false);

        private long CanarySlow { get; set; }

        private long CanaryTested { get; set; }

        private long BaselineSlow { get; set; }

        private long BaselineTested { get; set; }

        public void Observe(double[] canary, double[] baseline)
        {
            if (double.IsNaN(Threshold))
            {
                return;
            }

            Started = true;
            var canarySlow = CountAbove(canary, Threshold);
            var baselineSlow = CountAbove(baseline, Threshold);
            CanarySlow += canarySlow;
            CanaryTested += canary.Length;
            BaselineSlow += baselineSlow;
            BaselineTested += baseline.Length;
            Rollback.Update(canary.Length, canarySlow, baseline.Length, baselineSlow);
            Promotion.Update(canary.Length, canarySlow, baseline.Length, baselineSlow);
        }

        private static int CountAbove(double[] latencies, double threshold)
        {
            var count = 0;
            for (var i = 0; i < latencies.Length; i++)
            {
                if (latencies[i] > threshold)
                {
                    count++;
                }
            }

            return count;
        }

        public string Describe() => string.Create(
            CultureInfo.InvariantCulture,
            $"p{Level * 100:0.###} ({Threshold:G6}): canary {CanarySlow}/{CanaryTested} slower, baseline {BaselineSlow}/{BaselineTested}");
    }
}
