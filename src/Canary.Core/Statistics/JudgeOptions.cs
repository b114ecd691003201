using System.Collections.Frozen;
using Canary.Validation;

namespace Canary.Statistics;

/// <summary>The settings of <see cref="CanaryJudge"/>.</summary>
public sealed record JudgeOptions
{
    /// <summary>Gets the confidence level of the rank-sum interval; 0.98 as in Kayenta's NetflixACAJudge.</summary>
    public double ConfidenceLevel { get; init; } = 0.98;

    /// <summary>
    /// Gets the fraction of |Hodges–Lehmann estimate| the interval must clear before a difference counts; 0.25 as in
    /// Kayenta.
    /// </summary>
    public double Tolerance { get; init; } = 0.25;

    /// <summary>
    /// Gets the groups' weights in percent. Groups without a weight share what is left of 100 equally; the weights
    /// given may not total more than 100.
    /// </summary>
    public IReadOnlyDictionary<string, double> GroupWeights { get; init; } = FrozenDictionary<string, double>.Empty;

    /// <summary>Gets the summary score at or above which the canary passes.</summary>
    public double PassThreshold { get; init; } = 95;

    /// <summary>Gets the summary score at or above which a canary that does not pass is marginal.</summary>
    public double MarginalThreshold { get; init; } = 75;

    /// <summary>Checks the settings.</summary>
    /// <returns>Every problem, with the field it concerns; empty when the settings are usable.</returns>
    public IReadOnlyList<ValidationError> Validate()
    {
        var errors = new List<ValidationError>();
        if (!(ConfidenceLevel > 0 && ConfidenceLevel < 1))
        {
            errors.Add(new(nameof(ConfidenceLevel), $"must be strictly between 0 and 1, not {ConfidenceLevel}"));
        }

        if (!(Tolerance >= 0 && double.IsFinite(Tolerance)))
        {
            errors.Add(new(nameof(Tolerance), $"must be a finite number of at least 0, not {Tolerance}"));
        }

        if (!(MarginalThreshold >= 0 && MarginalThreshold <= PassThreshold && PassThreshold <= 100))
        {
            errors.Add(new(
                nameof(PassThreshold),
                $"thresholds must satisfy 0 ≤ marginal ≤ pass ≤ 100, not marginal {MarginalThreshold} and pass {PassThreshold}"));
        }

        if (GroupWeights is null)
        {
            errors.Add(new(nameof(GroupWeights), "must not be null; use an empty map for no weights"));
            return errors;
        }

        foreach (var (group, weight) in GroupWeights)
        {
            if (!(weight >= 0 && weight <= 100))
            {
                errors.Add(new($"{nameof(GroupWeights)}[{group}]", $"must be between 0 and 100, not {weight}"));
            }
        }

        var total = GroupWeights.Values.Sum();
        if (total > 100 + 1e-9)
        {
            errors.Add(new(nameof(GroupWeights), $"must total at most 100, not {total}"));
        }

        return errors;
    }
}
