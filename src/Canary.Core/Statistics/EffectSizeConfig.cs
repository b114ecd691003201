namespace Canary.Statistics;

/// <summary>The effect-size gates a significant difference must also pass before it fails a metric.</summary>
/// <remarks>
/// A metric is High only if its effect size is at least <see cref="AllowedIncrease"/>, Low only if at most
/// <see cref="AllowedDecrease"/>. A critical metric is flagged critical only if the effect also reaches
/// <see cref="CriticalIncrease"/> or <see cref="CriticalDecrease"/>. Unset thresholds default to 1.0 for
/// <see cref="EffectSizeMeasure.MeanRatio"/> and 0.5 for <see cref="EffectSizeMeasure.Cles"/>, that is, no gate.
/// </remarks>
public sealed record EffectSizeConfig
{
    /// <summary>Gets the measure the thresholds are expressed in.</summary>
    public EffectSizeMeasure Measure { get; init; } = EffectSizeMeasure.MeanRatio;

    /// <summary>Gets the smallest effect that lets an increase fail the metric; for example 1.1 for +10%.</summary>
    public double? AllowedIncrease { get; init; }

    /// <summary>Gets the largest effect that lets a decrease fail the metric; for example 0.9 for −10%.</summary>
    public double? AllowedDecrease { get; init; }

    /// <summary>Gets the smallest effect at which an increase of a critical metric fails the whole canary.</summary>
    public double? CriticalIncrease { get; init; }

    /// <summary>Gets the largest effect at which a decrease of a critical metric fails the whole canary.</summary>
    public double? CriticalDecrease { get; init; }

    /// <summary>Gets <see cref="AllowedIncrease"/> or its default for the measure.</summary>
    public double EffectiveAllowedIncrease => AllowedIncrease ?? NoGate;

    /// <summary>Gets <see cref="AllowedDecrease"/> or its default for the measure.</summary>
    public double EffectiveAllowedDecrease => AllowedDecrease ?? NoGate;

    /// <summary>Gets <see cref="CriticalIncrease"/> or its default for the measure.</summary>
    public double EffectiveCriticalIncrease => CriticalIncrease ?? NoGate;

    /// <summary>Gets <see cref="CriticalDecrease"/> or its default for the measure.</summary>
    public double EffectiveCriticalDecrease => CriticalDecrease ?? NoGate;

    private double NoGate => Measure == EffectSizeMeasure.Cles ? 0.5 : 1.0;
}
