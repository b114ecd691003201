namespace Canary.Statistics;

/// <summary>What the judge does with NaN values in a metric's samples.</summary>
public enum NanStrategy
{
    /// <summary>Drop them; a side left empty makes the metric NoData. Kayenta's default.</summary>
    Remove,

    /// <summary>Replace them with 0; a side left empty makes the metric Pass.</summary>
    Replace,
}
