namespace Canary.Model;

/// <summary>What a host can tell a canary to do; the engine applies it at the next step.</summary>
public enum CanaryCommand
{
    /// <summary>Skip the remaining analysis and gates and promote the canary now.</summary>
    Promote,

    /// <summary>Roll the canary back now.</summary>
    Abort,

    /// <summary>Run a failed revision again without a spec change.</summary>
    Retry,

    /// <summary>Hold the rollout where it is; nothing advances and nothing counts until it is resumed.</summary>
    Pause,

    /// <summary>Continue a paused rollout.</summary>
    Resume,
}
