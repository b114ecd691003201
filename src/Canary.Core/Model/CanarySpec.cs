namespace Canary.Model;

/// <summary>The desired behaviour of one canary, with the fields and defaults of Flagger's <c>Canary</c> resource.</summary>
public sealed record CanarySpec
{
    /// <summary>The default progress deadline: 600 seconds, as in Flagger and Kubernetes Deployments.</summary>
    public static readonly TimeSpan DefaultProgressDeadline = TimeSpan.FromSeconds(600);

    /// <summary>Gets the workload that is rolled out (a Deployment).</summary>
    public required ObjectReference TargetRef { get; init; }

    /// <summary>Gets the user's Ingress that the NGINX router clones, or <see langword="null"/>.</summary>
    public ObjectReference? IngressRef { get; init; }

    /// <summary>Gets the autoscaler that scales the target, or <see langword="null"/>.</summary>
    public AutoscalerReference? AutoscalerRef { get; init; }

    /// <summary>Gets how the canary's Services and routes are exposed.</summary>
    public ServiceSpec Service { get; init; } = new();

    /// <summary>Gets the traffic provider (see <see cref="TrafficProviders"/>); <see langword="null"/> uses the host's default.</summary>
    public string? Provider { get; init; }

    /// <summary>Gets how long a workload may take to become ready before the rollout fails.</summary>
    /// <value>The default value is 600 seconds.</value>
    public TimeSpan ProgressDeadline { get; init; } = DefaultProgressDeadline;

    /// <summary>Gets a value indicating whether a new revision is promoted without analysis.</summary>
    public bool SkipAnalysis { get; init; }

    /// <summary>Gets a value indicating whether the engine leaves this canary alone.</summary>
    public bool Suspend { get; init; }

    /// <summary>Gets how the canary is analysed and advanced.</summary>
    public AnalysisSpec Analysis { get; init; } = new();
}
