using Canary.Validation;

namespace Canary.Statistics;

/// <summary>The settings every sequential test shares: its two error rates, its margins and its minimum samples.</summary>
/// <remarks>
/// Two tests run side by side on the ratio ρ of the canary's event rate to the baseline's. The rollback test rejects
/// H₀: ρ ≤ <see cref="RollbackRatio"/>, so a canary that is no worse than that is rolled back with probability at most
/// <see cref="FalseRollbackRate"/>, however often the engine looks. The promotion test rejects
/// H₀: ρ ≥ <see cref="PromotionRatio"/>, so a canary that is at least that bad is promoted early with probability at
/// most <see cref="FalsePromotionRate"/>. Between the two ratios lies an indifference zone where neither test is
/// expected to conclude.
/// </remarks>
public abstract record SequentialTestOptions
{
    /// <summary>Gets α: the chance of ever rolling back a canary whose ratio is at most <see cref="RollbackRatio"/>.</summary>
    public double FalseRollbackRate { get; init; } = 0.05;

    /// <summary>Gets β: the chance of ever promoting early a canary whose ratio is at least <see cref="PromotionRatio"/>.</summary>
    public double FalsePromotionRate { get; init; } = 0.05;

    /// <summary>Gets the ratio the canary must be shown to exceed before it is rolled back; at least 1.</summary>
    public double RollbackRatio { get; init; } = 1.5;

    /// <summary>Gets the ratio the canary must be shown to stay below before it is promoted early; at most <see cref="RollbackRatio"/>.</summary>
    public double PromotionRatio { get; init; } = 1.5;

    /// <summary>Gets how many canary requests must have been seen before any verdict other than Continue.</summary>
    public long MinimumCanaryRequests { get; init; } = 100;

    /// <summary>Gets how many baseline requests must have been seen before any verdict other than Continue.</summary>
    public long MinimumBaselineRequests { get; init; } = 100;

    /// <summary>Checks the settings.</summary>
    /// <returns>Every problem, with the field it concerns; empty when the settings are usable.</returns>
    public virtual IReadOnlyList<ValidationError> Validate()
    {
        var errors = new List<ValidationError>();
        if (!(FalseRollbackRate > 0 && FalseRollbackRate < 1))
        {
            errors.Add(new(nameof(FalseRollbackRate), $"must be strictly between 0 and 1, not {FalseRollbackRate}"));
        }

        if (!(FalsePromotionRate > 0 && FalsePromotionRate < 1))
        {
            errors.Add(new(nameof(FalsePromotionRate), $"must be strictly between 0 and 1, not {FalsePromotionRate}"));
        }

        if (!(RollbackRatio >= 1 && double.IsFinite(RollbackRatio)))
        {
            errors.Add(new(nameof(RollbackRatio), $"must be a finite ratio of at least 1, not {RollbackRatio}"));
        }

        if (!(PromotionRatio > 0 && PromotionRatio <= RollbackRatio))
        {
            errors.Add(new(
                nameof(PromotionRatio),
                $"must be greater than 0 and at most {nameof(RollbackRatio)} ({RollbackRatio}), not {PromotionRatio}"));
        }

        if (MinimumCanaryRequests < 0)
        {
            errors.Add(new(nameof(MinimumCanaryRequests), $"must be at least 0, not {MinimumCanaryRequests}"));
        }

        if (MinimumBaselineRequests < 0)
        {
            errors.Add(new(nameof(MinimumBaselineRequests), $"must be at least 0, not {MinimumBaselineRequests}"));
        }

        return errors;
    }

    /// <summary>Throws when the settings are not valid.</summary>
    /// <param name="parameterName">The parameter the settings came in.</param>
    internal void EnsureValid(string parameterName)
    {
        var errors = Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException($"Invalid {GetType().Name}: {string.Join("; ", errors)}", parameterName);
        }
    }
}
