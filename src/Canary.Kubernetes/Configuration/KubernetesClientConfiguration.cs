using System.Security.Cryptography.X509Certificates;

namespace Canary.Kubernetes.Configuration;

/// <summary>
/// Where the Kubernetes API server is and how to authenticate to it. Build one from a kubeconfig
/// (<see cref="FromKubeConfigFile"/>, <see cref="FromKubeConfig"/>), from the pod's service account (<see cref="InCluster"/>), or
/// with <see cref="BuildDefault"/>, which tries those in kubectl's order.
/// </summary>
/// <remarks>
/// At request time a <see cref="CredentialProvider"/> beats <see cref="AccessToken"/>, which beats <see cref="Username"/> and
/// <see cref="Password"/>. A <see cref="ClientCertificate"/> may be combined with any of them.
/// </remarks>
public sealed partial record KubernetesClientConfiguration
{
    /// <summary>The default time one request may take, as in KubernetesClient and client-go.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(100);

    /// <summary>Gets the API server's base URL, for example <c>https://10.0.0.1:443</c>.</summary>
    public required Uri Host { get; init; }

    /// <summary>Gets the namespace that the context names, or <c>default</c>.</summary>
    /// <value>The default is <c>default</c>.</value>
    public string Namespace { get; init; } = "default";

    /// <summary>Gets the kubeconfig context this configuration came from, or <see langword="null"/>.</summary>
    public string? ContextName { get; init; }

    /// <summary>
    /// Gets the certificate authorities that the server's certificate must chain to. When set, only these are trusted, not the
    /// machine's root store.
    /// </summary>
    public X509Certificate2Collection? CaCertificates { get; init; }

    /// <summary>Gets a value indicating whether the server's certificate is accepted without any check. Only for throwaway clusters.</summary>
    public bool SkipTlsVerify { get; init; }

    /// <summary>Gets the name to check the server's certificate against instead of the host in <see cref="Host"/>.</summary>
    public string? TlsServerName { get; init; }

    /// <summary>Gets a fixed bearer token.</summary>
    public string? AccessToken { get; init; }

    /// <summary>Gets a provider of credentials that change over time (a rotated token file, an exec plugin).</summary>
    public KubernetesCredentialProvider? CredentialProvider { get; init; }

    /// <summary>Gets the TLS client certificate, with its private key.</summary>
    public X509Certificate2? ClientCertificate { get; init; }

    /// <summary>Gets the user name for HTTP basic authentication.</summary>
    public string? Username { get; init; }

    /// <summary>Gets the password for HTTP basic authentication.</summary>
    public string? Password { get; init; }

    /// <summary>Gets how long one request may take, retries not counted. Watches are exempt once their headers arrive.</summary>
    /// <value>The default is <see cref="DefaultTimeout"/> (100 seconds).</value>
    public TimeSpan Timeout { get; init; } = DefaultTimeout;

    /// <summary>Describes the configuration without any secret.</summary>
    /// <returns>The host, namespace and the kinds of credentials in use.</returns>
    public override string ToString()
    {
        var auth = new List<string>();
        if (CredentialProvider is not null)
        {
            auth.Add("credential provider");
        }

        if (AccessToken is not null)
        {
            auth.Add("bearer token");
        }

        if (Username is not null)
        {
            auth.Add("basic");
        }

        if (ClientCertificate is not null)
        {
            auth.Add("client certificate");
        }

        return $"{Host} (namespace {Namespace}, auth: {(auth.Count == 0 ? "anonymous" : string.Join(", ", auth))})";
    }
}
