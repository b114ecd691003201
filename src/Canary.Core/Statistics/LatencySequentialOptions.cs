using Canary.Validation;

namespace Canary.Statistics;

/// <summary>
/// The settings of <see cref="LatencySequentialTest"/>; the ratios compare how often each side is slower than the
/// baseline's quantile.
/// </summary>
public sealed record LatencySequentialOptions : SequentialTestOptions
{
    /// <summary>Gets the baseline quantiles whose exceedance rates are compared; each in (0, 1), for example 0.99.</summary>
    public IReadOnlyList<double> Quantiles { get; init; } = [0.9, 0.99];

    /// <summary>Gets how many of the latest baseline latencies the quantile thresholds are estimated from.</summary>
    public int ThresholdWindow { get; init; } = 5000;

    /// <summary>
    /// Gets how many baseline values should lie above a quantile before its threshold is trusted: a quantile q starts
    /// once the window holds ⌈TailSamples / (1 − q)⌉ values.
    /// </summary>
    public int TailSamples { get; init; } = 10;

    /// <summary>Gets how many baseline values quantile <paramref name="quantile"/> needs before its test starts.</summary>
    /// <param name="quantile">The quantile.</param>
    /// <returns>⌈<see cref="TailSamples"/> / (1 − quantile)⌉.</returns>
    public int RequiredSamples(double quantile) => (int)Math.Ceiling(TailSamples / (1 - quantile) - 1e-9);

    /// <inheritdoc/>
    public override IReadOnlyList<ValidationError> Validate()
    {
        var errors = new List<ValidationError>(base.Validate());
        if (Quantiles is null || Quantiles.Count == 0)
        {
            errors.Add(new(nameof(Quantiles), "must hold at least one quantile"));
            return errors;
        }

        var quantilesValid = true;
        for (var i = 0; i < Quantiles.Count; i++)
        {
            if (!(Quantiles[i] > 0 && Quantiles[i] < 1))
            {
                errors.Add(new($"{nameof(Quantiles)}[{i}]", $"must be strictly between 0 and 1, not {Quantiles[i]}"));
                quantilesValid = false;
            }
        }

        if (Quantiles.Distinct().Count() != Quantiles.Count)
        {
            errors.Add(new(nameof(Quantiles), "must not repeat a quantile"));
        }

        if (TailSamples < 1)
        {
            errors.Add(new(nameof(TailSamples), $"must be at least 1, not {TailSamples}"));
        }
        else if (quantilesValid && ThresholdWindow < RequiredSamples(Quantiles.Max()))
        {
            errors.Add(new(
                nameof(ThresholdWindow),
                $"must hold at least {RequiredSamples(Quantiles.Max())} values for quantile {Quantiles.Max()}, not {ThresholdWindow}"));
        }

        return errors;
    }
}
