using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Canary.Kubernetes.Configuration;

/// <summary>Turns PEM text from kubeconfigs and service-account mounts into certificates.</summary>
internal static class PemCertificates
{
    public static X509Certificate2Collection? TryLoadBundle(string pem)
    {
        var collection = new X509Certificate2Collection();
        try
        {
            collection.ImportFromPem(pem);
        }
        catch (CryptographicException)
        {
            return null;
        }

        return collection.Count == 0 ? null : collection;
    }

    public static bool TryLoadCertificate(string pem)
    {
        try
        {
            using var certificate = X509Certificate2.CreateFromPem(pem);
            return true;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    public static X509Certificate2? TryLoadCertificateWithKey(string certificatePem, string keyPem)
    {
        try
        {
            return X509Certificate2.CreateFromPem(certificatePem, keyPem);
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
            // ArgumentException: the key is well-formed but belongs to another certificate.
            return null;
        }
    }
}
