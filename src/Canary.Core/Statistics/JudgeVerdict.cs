namespace Canary.Statistics;

/// <summary>The judge's overall verdict, from the summary score and the thresholds.</summary>
public enum JudgeVerdict
{
    /// <summary>The score reached the pass threshold.</summary>
    Pass,

    /// <summary>The score reached the marginal threshold but not the pass threshold.</summary>
    Marginal,

    /// <summary>The score fell below the marginal threshold, or an override set it to 0.</summary>
    Fail,
}
