using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Canary.Metrics.Prometheus;

/// <summary>Builds the HTTP handler of the Prometheus client: connection pooling, and the TLS trust the options ask for.</summary>
internal static class PrometheusHttpHandlerFactory
{
    // Long-lived clients still see DNS changes (a Prometheus Service that moves) when pooled connections are recycled.
    private static readonly TimeSpan PooledConnectionLifetime = TimeSpan.FromMinutes(2);

    /// <summary>Creates a handler.</summary>
    /// <param name="options">The validated options.</param>
    /// <param name="insecureSkipVerify">Whether certificates are accepted without checks, for the options or for a template that asks so.</param>
    /// <returns>The handler.</returns>
    public static SocketsHttpHandler Create(PrometheusOptions options, bool insecureSkipVerify)
    {
        ArgumentNullException.ThrowIfNull(options);
        var handler = new SocketsHttpHandler
        {
            PooledConnectionLifetime = PooledConnectionLifetime,
            AllowAutoRedirect = false,
            AutomaticDecompression = System.Net.DecompressionMethods.All,
        };

        if (insecureSkipVerify || options.InsecureSkipVerify)
        {
            // The user asked for it by name (InsecureSkipVerify), as Flagger's templates allow; the validator refuses it next to a CA.
#pragma warning disable CA5359
            handler.SslOptions.RemoteCertificateValidationCallback = static (_, _, _, _) => true;
#pragma warning restore CA5359
        }
        else if (LoadCertificateAuthorities(options) is { Count: > 0 } authorities)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, chain, errors) =>
                IsTrusted(certificate, chain, errors, authorities);
        }

        return handler;
    }

    /// <summary>Reads the certificate authorities of <see cref="PrometheusOptions.CaFile"/> or <see cref="PrometheusOptions.CaPem"/>.</summary>
    /// <param name="options">The options.</param>
    /// <returns>The certificates, or <see langword="null"/> when the system's trust applies.</returns>
    public static X509Certificate2Collection? LoadCertificateAuthorities(PrometheusOptions options)
    {
        if (!string.IsNullOrWhiteSpace(options.CaFile))
        {
            var fromFile = new X509Certificate2Collection();
            fromFile.ImportFromPemFile(options.CaFile);
            return fromFile;
        }

        if (!string.IsNullOrWhiteSpace(options.CaPem))
        {
            var fromText = new X509Certificate2Collection();
            fromText.ImportFromPem(options.CaPem);
            return fromText;
        }

        return null;
    }

    // A configured CA replaces the system's roots, as a Prometheus client's ca_file does; the host name must still match.
    private static bool IsTrusted(X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors, X509Certificate2Collection authorities)
    {
        if (certificate is null || (errors & (SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateNotAvailable)) != 0)
        {
            return false;
        }

        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.AddRange(authorities);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (chain is not null)
        {
            foreach (var element in chain.ChainElements)
            {
                custom.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        if (certificate is X509Certificate2 leaf)
        {
            return custom.Build(leaf);
        }

        using var copy = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return custom.Build(copy);
    }
}
