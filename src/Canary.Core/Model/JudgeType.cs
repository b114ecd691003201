namespace Canary.Model;

/// <summary>The ways a <see cref="JudgeSpec"/> compares the canary with the workload it is measured against.</summary>
public enum JudgeType
{
    /// <summary>
    /// Always-valid sequential tests of the error rate and of latency quantiles, updated every analysis step: a clear
    /// regression rolls the canary back at once, clear evidence of health may promote it early.
    /// </summary>
    Sequential,

    /// <summary>
    /// Kayenta's NetflixACAJudge on samples of the error rate and of latency quantiles, one per look and workload:
    /// once per analysis interval the window's samples are scored 0–100, and a score below the pass threshold is a
    /// failed check.
    /// </summary>
    Kayenta,
}
