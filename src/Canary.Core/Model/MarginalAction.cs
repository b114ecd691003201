namespace Canary.Model;

/// <summary>What a Kayenta judgement whose score is marginal (at least the marginal threshold, below the pass threshold) does.</summary>
public enum MarginalAction
{
    /// <summary>It is a failed check, as a failed judgement is; the canary does not advance that step.</summary>
    Fail,

    /// <summary>
    /// It pauses the canary, as a host's pause command does, for a person to resume, promote or abort it: Argo Rollouts'
    /// inconclusive analysis. It adds no failed check.
    /// </summary>
    Pause,
}
