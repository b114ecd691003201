namespace Canary.Kubernetes.Configuration;

/// <summary>One <c>clusters[]</c> entry of a kubeconfig; file paths are already absolute.</summary>
internal sealed record KubeConfigCluster(
    string Name,
    string Field,
    string? SourceFile,
    string? Server,
    string? CertificateAuthority,
    string? CertificateAuthorityData,
    bool InsecureSkipTlsVerify,
    string? TlsServerName);
