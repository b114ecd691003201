namespace Canary.Kubernetes.Configuration;

/// <summary>The cluster details an exec plugin receives when it sets <c>provideClusterInfo: true</c>.</summary>
/// <param name="Server">The API server's URL.</param>
/// <param name="CertificateAuthorityData">The CA bundle as PEM text, or <see langword="null"/>.</param>
/// <param name="InsecureSkipTlsVerify">Whether TLS verification is off.</param>
/// <param name="TlsServerName">The name to verify the server's certificate against, or <see langword="null"/>.</param>
internal sealed record ExecClusterInfo(string Server, string? CertificateAuthorityData, bool InsecureSkipTlsVerify, string? TlsServerName);
