namespace Canary.Kubernetes.Workloads;

/// <summary>The labels and annotations Canary puts on the objects it creates, and those it honours on users' objects.</summary>
public static class CanaryLabels
{
    /// <summary>The standard label that names the tool managing an object.</summary>
    public const string ManagedBy = "app.kubernetes.io/managed-by";

    /// <summary>The value of <see cref="ManagedBy"/> on every object Canary creates.</summary>
    public const string ManagedByValue = "canary";

    /// <summary>The label that names the canary an object was created for.</summary>
    public const string CanaryName = "canary.dev/canary";

    /// <summary>
    /// The pod-template annotation of the primary that holds the revision it runs; a new revision, including a change of
    /// configuration only, changes it and so rolls the primary's pods.
    /// </summary>
    public const string Revision = "canary.dev/revision";

    /// <summary>An annotation on a ConfigMap or Secret; <c>disabled</c> leaves it out of the revision and uncopied.</summary>
    public const string ConfigTracking = "canary.dev/config-tracking";

    /// <summary>Flagger's annotation with the meaning of <see cref="ConfigTracking"/>, honoured as well.</summary>
    public const string FlaggerConfigTracking = "flagger.app/config-tracking";
}
