using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Canary.Kubernetes.Configuration;

namespace Canary.Kubernetes.Client;

/// <summary>Builds the <see cref="SocketsHttpHandler"/> that carries the configuration's TLS settings.</summary>
internal static class KubernetesHttpHandlerFactory
{
    public static SocketsHttpHandler Create(KubernetesClientConfiguration configuration, Func<X509Certificate2?> providerCertificate)
    {
        var ssl = new SslClientAuthenticationOptions();
        if (configuration.SkipTlsVerify)
        {
            // insecure-skip-tls-verify is the kubeconfig author's explicit choice, for throwaway clusters.
#pragma warning disable CA5359
            ssl.RemoteCertificateValidationCallback = static (_, _, _, _) => true;
#pragma warning restore CA5359
        }
        else if (configuration.CaCertificates is { Count: > 0 } || configuration.TlsServerName is not null)
        {
            var roots = configuration.CaCertificates;
            var serverName = configuration.TlsServerName;
            ssl.RemoteCertificateValidationCallback = (_, certificate, chain, errors) =>
                ValidateServerCertificate(certificate, chain, errors, roots, serverName);
        }

        if (configuration.ClientCertificate is not null)
        {
            ssl.ClientCertificates = [configuration.ClientCertificate];
        }
        else if (configuration.CredentialProvider is not null)
        {
            // An exec plugin may hand out a certificate; it is fetched before each request, so the latest one is ready here.
            ssl.LocalCertificateSelectionCallback = (_, _, _, _, _) => providerCertificate()!;
        }

        return new SocketsHttpHandler
        {
            SslOptions = ssl,
            AllowAutoRedirect = false,
            UseCookies = false,
            ConnectTimeout = TimeSpan.FromSeconds(30),
            PooledConnectionLifetime = TimeSpan.FromMinutes(10),
        };
    }

    /// <summary>
    /// Accepts the server's certificate when it chains to one of <paramref name="roots"/> (and only those, when given) and matches
    /// <paramref name="serverName"/> (or the URL's host).
    /// </summary>
    internal static bool ValidateServerCertificate(
        X509Certificate? certificate,
        X509Chain? presented,
        SslPolicyErrors errors,
        X509Certificate2Collection? roots,
        string? serverName)
    {
        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            return false;
        }

        using var owned = certificate as X509Certificate2 is null ? new X509Certificate2(certificate) : null;
        var leaf = owned ?? (X509Certificate2)certificate;

        bool chainOk;
        if (roots is { Count: > 0 })
        {
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.AddRange(roots);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            if (presented is not null)
            {
                foreach (var element in presented.ChainElements)
                {
                    if (!element.Certificate.RawDataMemory.Span.SequenceEqual(leaf.RawDataMemory.Span))
                    {
                        chain.ChainPolicy.ExtraStore.Add(element.Certificate);
                    }
                }
            }

            chainOk = chain.Build(leaf);
        }
        else
        {
            chainOk = !errors.HasFlag(SslPolicyErrors.RemoteCertificateChainErrors);
        }

        var nameOk = serverName is not null
            ? leaf.MatchesHostname(serverName, allowWildcards: true, allowCommonName: false)
            : !errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch);
        return chainOk && nameOk;
    }
}
