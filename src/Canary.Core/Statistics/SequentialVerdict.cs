namespace Canary.Statistics;

/// <summary>What a sequential test concludes so far.</summary>
public enum SequentialVerdict
{
    /// <summary>Not enough evidence either way yet: keep observing.</summary>
    Continue,

    /// <summary>The canary is worse than allowed, with the configured false-rollback rate: roll back.</summary>
    Reject,

    /// <summary>The canary is within the allowed margin, with the configured false-promotion rate: it may be promoted early.</summary>
    Accept,
}
