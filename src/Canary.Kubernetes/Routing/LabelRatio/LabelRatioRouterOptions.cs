namespace Canary.Kubernetes.Routing.LabelRatio;

/// <summary>Settings of the <see cref="LabelRatioRouter"/>.</summary>
public sealed class LabelRatioRouterOptions
{
    /// <summary>The default label that the apex Service selects and that joins pods to it.</summary>
    public const string DefaultTrafficLabel = "canary.dev/traffic";

    /// <summary>
    /// Gets or sets the pod label that the apex Service selects, with the apex Service's name as its value. The router adds it to
    /// the primary's pod template, and to the canary's while the canary takes traffic. A workload controller that hashes the pod
    /// template to detect new revisions must leave this label out, and keep it on the primary when it promotes.
    /// </summary>
    /// <value>The default value is <c>canary.dev/traffic</c>.</value>
    public string TrafficLabel { get; set; } = DefaultTrafficLabel;

    /// <summary>
    /// Gets or sets a value indicating whether the canary's pods stay out of the apex Service while the canary's weight is 0, so that
    /// a canary scaled up for a run is reached only through <c>svc-canary</c> (for tests) until its first weight joins it by label.
    /// Joining and leaving change the canary's pod template, which rolls its pods.
    /// </summary>
    /// <value>The default value is <see langword="false"/>: the canary's pods carry the label from the start.</value>
    public bool Isolate { get; set; }
}
