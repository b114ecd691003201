using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Canary.Kubernetes.Tests.TestSupport;

/// <summary>Throwaway certificate authorities and certificates generated for each test.</summary>
internal static class TestCertificates
{
    public static X509Certificate2 CreateAuthority(string name = "Canary Test CA")
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now.AddDays(-1), now.AddDays(1));
    }

    public static X509Certificate2 CreateServer(X509Certificate2 authority, params string[] names)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=kube-apiserver", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        foreach (var name in names)
        {
            if (IPAddress.TryParse(name, out var ip))
            {
                san.AddIpAddress(ip);
            }
            else
            {
                san.AddDnsName(name);
            }
        }

        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        return Issue(authority, request, key);
    }

    /// <summary>Creates a client certificate and returns it with its PEM certificate and PEM key (PKCS#1 RSA or SEC1 EC).</summary>
    public static (X509Certificate2 Certificate, string CertificatePem, string KeyPem) CreateClient(X509Certificate2 authority, string subject, bool ec)
    {
        if (ec)
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
            AddClientExtensions(request);
            using var issued = Sign(authority, request);
            return (issued.CopyWithPrivateKey(key), issued.ExportCertificatePem(), key.ExportECPrivateKeyPem());
        }
        else
        {
            using var key = RSA.Create(2048);
            var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            AddClientExtensions(request);
            using var issued = Sign(authority, request);
            return (issued.CopyWithPrivateKey(key), issued.ExportCertificatePem(), key.ExportRSAPrivateKeyPem());
        }
    }

    public static string ToPem(X509Certificate2 certificate) => certificate.ExportCertificatePem();

    public static string ToBase64(string text) => Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(text));

    private static X509Certificate2 Issue(X509Certificate2 authority, CertificateRequest request, ECDsa key)
    {
        using var issued = Sign(authority, request);
        using var withKey = issued.CopyWithPrivateKey(key);

        // The round trip gives the certificate a key of its own, independent of the key object the caller disposes.
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }

    private static X509Certificate2 Sign(X509Certificate2 authority, CertificateRequest request)
    {
        // The authority has an EC key; the generator lets it sign requests for RSA keys too.
        using var authorityKey = authority.GetECDsaPrivateKey()!;
        var generator = X509SignatureGenerator.CreateForECDsa(authorityKey);
        var now = DateTimeOffset.UtcNow;
        return request.Create(authority.SubjectName, generator, now.AddDays(-1), now.AddDays(1), RandomNumberGenerator.GetBytes(8));
    }

    private static void AddClientExtensions(CertificateRequest request)
    {
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
    }
}
