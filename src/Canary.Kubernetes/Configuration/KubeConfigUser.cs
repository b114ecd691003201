namespace Canary.Kubernetes.Configuration;

/// <summary>One <c>users[]</c> entry of a kubeconfig; file paths are already absolute and <c>*-data</c> fields decoded to PEM text.</summary>
internal sealed record KubeConfigUser(
    string Name,
    string Field,
    string? SourceFile,
    string? Token,
    string? TokenFile,
    string? ClientCertificate,
    string? ClientCertificateData,
    string? ClientKey,
    string? ClientKeyData,
    string? Username,
    string? Password,
    ExecPluginConfig? Exec,
    string? AuthProvider);
