namespace Canary.Kubernetes.Configuration;

/// <summary>One <c>contexts[]</c> entry of a kubeconfig.</summary>
internal sealed record KubeConfigContext(string Name, string Field, string? SourceFile, string? Cluster, string? User, string? Namespace);
