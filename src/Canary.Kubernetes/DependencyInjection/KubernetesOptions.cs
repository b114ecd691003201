using Canary.Kubernetes.Client;
using Canary.Kubernetes.Configuration;
using Canary.Kubernetes.Leadership;
using Canary.Kubernetes.Secrets;
using Canary.Kubernetes.State;
using Canary.Kubernetes.Workloads;

namespace Canary.Kubernetes.DependencyInjection;

/// <summary>How <c>AddKubernetes</c> connects to the cluster and configures the Kubernetes adapters.</summary>
public sealed class KubernetesOptions
{
    /// <summary>
    /// Gets or sets the client configuration to use as given, or <see langword="null"/> to build one: from
    /// <see cref="KubeConfigPath"/> when set, otherwise from <c>KUBECONFIG</c>, <c>~/.kube/config</c> or the pod's service account.
    /// </summary>
    public KubernetesClientConfiguration? Configuration { get; set; }

    /// <summary>Gets or sets the kubeconfig file to read, or <see langword="null"/> for the default resolution.</summary>
    public string? KubeConfigPath { get; set; }

    /// <summary>Gets or sets the kubeconfig context to use, or <see langword="null"/> for its current context.</summary>
    public string? Context { get; set; }

    /// <summary>Gets or sets the client's retries, timeouts and user agent.</summary>
    public KubernetesClientOptions Client { get; set; } = new();

    /// <summary>Gets or sets the informer cache's options.</summary>
    public KubernetesObjectCacheOptions Cache { get; set; } = new();

    /// <summary>Gets or sets the workload controller's options; its field manager and Canary resource are set from this object's.</summary>
    public KubernetesWorkloadOptions Workloads { get; set; } = new();

    /// <summary>Gets or sets the API group of the Canary custom resource.</summary>
    /// <value>The default is <c>canary.dev</c>; <c>flagger.app</c> (with version <c>v1beta1</c>) drives Flagger's objects.</value>
    public string CanaryGroup { get; set; } = CanaryResourceTypes.DefaultGroup;

    /// <summary>Gets or sets the version of the Canary custom resource.</summary>
    /// <value>The default is <c>v1</c>.</value>
    public string CanaryVersion { get; set; } = CanaryResourceTypes.DefaultVersion;

    /// <summary>Gets or sets the field manager of every write the adapters make.</summary>
    /// <value>The default is <c>canary</c>.</value>
    public string FieldManager { get; set; } = "canary";

    /// <summary>Gets or sets a value indicating whether statuses are kept in the Canary custom resources (else in memory).</summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool UseStatusStore { get; set; } = true;

    /// <summary>
    /// Gets or sets how long <see cref="KubernetesSecretResolver"/> keeps a Secret that a metric template names before it reads it
    /// again; <see cref="TimeSpan.Zero"/> reads it at every check.
    /// </summary>
    /// <value>The default is 30 seconds.</value>
    public TimeSpan SecretCacheDuration { get; set; } = KubernetesSecretResolver.DefaultCacheDuration;

    /// <summary>Gets or sets the leader election of <see cref="LeaderElectedCanaryRunner"/>.</summary>
    public LeaseLeaderElectorOptions LeaderElection { get; set; } = new();

    internal ResourceType CanaryResource() => CanaryResourceTypes.Canary(CanaryGroup, CanaryVersion);
}
