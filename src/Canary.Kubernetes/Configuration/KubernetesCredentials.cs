using System.Security.Cryptography.X509Certificates;

namespace Canary.Kubernetes.Configuration;

/// <summary>Credentials that a <see cref="KubernetesCredentialProvider"/> hands to the client for one or more requests.</summary>
/// <param name="Token">The bearer token, or <see langword="null"/> when the provider authenticates with a certificate only.</param>
/// <param name="ClientCertificate">A TLS client certificate with its private key, or <see langword="null"/>.</param>
/// <param name="ExpiresAt">When the credentials stop being valid, or <see langword="null"/> when the provider does not know.</param>
public sealed record KubernetesCredentials(string? Token, X509Certificate2? ClientCertificate, DateTimeOffset? ExpiresAt)
{
    /// <summary>Describes the credentials without revealing the token or the key.</summary>
    /// <returns>A redacted description.</returns>
    public override string ToString() =>
        $"KubernetesCredentials {{ Token = {(Token is null ? "(none)" : "[redacted]")}, " +
        $"ClientCertificate = {ClientCertificate?.Subject ?? "(none)"}, ExpiresAt = {ExpiresAt?.ToString("O") ?? "(none)"} }}";
}
