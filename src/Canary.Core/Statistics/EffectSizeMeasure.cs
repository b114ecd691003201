namespace Canary.Statistics;

/// <summary>How the size of a difference between canary and baseline is measured.</summary>
public enum EffectSizeMeasure
{
    /// <summary>mean(canary) / mean(baseline); thresholds default to 1.0.</summary>
    MeanRatio,

    /// <summary>The common-language effect size P(canary &gt; baseline) + ½ P(tie); thresholds default to 0.5.</summary>
    Cles,
}
