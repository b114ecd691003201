namespace Canary.Testing.Kubernetes;

/// <summary>How the simulated pods of a Deployment behave during a rollout.</summary>
/// <param name="ReadinessDelay">
/// How long after a rollout starts until all new pods are ready; pods become ready one by one, evenly spread over it.
/// </param>
/// <param name="NeverReady">The new pods never become ready, so the rollout ends in ProgressDeadlineExceeded.</param>
public sealed record DeploymentBehavior(TimeSpan ReadinessDelay, bool NeverReady = false)
{
    /// <summary>Pods are ready at once.</summary>
    public static DeploymentBehavior Immediate { get; } = new(TimeSpan.Zero);

    /// <summary>Pods never become ready: the rollout fails after spec.progressDeadlineSeconds.</summary>
    public static DeploymentBehavior Failing { get; } = new(TimeSpan.Zero, NeverReady: true);

    /// <summary>Pods become ready over <paramref name="delay"/>.</summary>
    /// <param name="delay">The time until the last new pod is ready.</param>
    /// <returns>The behaviour.</returns>
    public static DeploymentBehavior ReadyAfter(TimeSpan delay) => new(delay);
}
