namespace Canary.Statistics;

/// <summary>The settings of <see cref="ErrorRateSequentialTest"/>; the ratios compare error rates.</summary>
public sealed record ErrorRateSequentialOptions : SequentialTestOptions;
