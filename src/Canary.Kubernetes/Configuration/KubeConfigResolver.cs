using System.Security.Cryptography.X509Certificates;

namespace Canary.Kubernetes.Configuration;

/// <summary>Turns a parsed (and possibly merged) kubeconfig plus a context name into a <see cref="KubernetesClientConfiguration"/>.</summary>
internal static class KubeConfigResolver
{
    public static KubernetesClientConfiguration Resolve(KubeConfigDocument document, string? contextName, KubernetesEnvironment environment)
    {
        var source = document.SourceFiles.Count == 1 ? document.SourceFiles[0] : null;
        var name = string.IsNullOrEmpty(contextName) ? document.CurrentContext : contextName;
        if (string.IsNullOrEmpty(name))
        {
            throw new KubeConfigException("current-context", "not set, and no context was asked for; name one or run `kubectl config use-context`", source);
        }

        // kubectl matches context, cluster and user names exactly; so do we.
        var context = document.Contexts.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.Ordinal))
            ?? throw new KubeConfigException("contexts", $"no context named \"{name}\"", source);

        if (context.Cluster is null)
        {
            throw new KubeConfigException(context.Field + ".cluster", "required", context.SourceFile);
        }

        var cluster = document.Clusters.FirstOrDefault(c => string.Equals(c.Name, context.Cluster, StringComparison.Ordinal))
            ?? throw new KubeConfigException(context.Field + ".cluster", $"no cluster named \"{context.Cluster}\"", context.SourceFile);

        var host = ParseServer(cluster);
        var caPem = ReadCertificateAuthority(cluster);
        var configuration = new KubernetesClientConfiguration
        {
            Host = host,
            Namespace = context.Namespace ?? "default",
            ContextName = context.Name,
            CaCertificates = caPem is null ? null : PemCertificates.TryLoadBundle(caPem.Value.Pem)
                ?? throw new KubeConfigException(caPem.Value.Field, "contains no PEM certificate", cluster.SourceFile),
            SkipTlsVerify = cluster.InsecureSkipTlsVerify,
            TlsServerName = cluster.TlsServerName,
        };

        if (context.User is null)
        {
            return configuration;
        }

        var user = document.Users.FirstOrDefault(u => string.Equals(u.Name, context.User, StringComparison.Ordinal))
            ?? throw new KubeConfigException(context.Field + ".user", $"no user named \"{context.User}\"", context.SourceFile);
        return ApplyUser(configuration, user, cluster, caPem?.Pem, environment);
    }

    private static Uri ParseServer(KubeConfigCluster cluster)
    {
        var field = cluster.Field + ".server";
        if (string.IsNullOrEmpty(cluster.Server))
        {
            throw new KubeConfigException(field, "required", cluster.SourceFile);
        }

        if (!Uri.TryCreate(cluster.Server, UriKind.Absolute, out var uri) ||
            (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp) ||
            string.IsNullOrEmpty(uri.Host))
        {
            throw new KubeConfigException(field, $"\"{cluster.Server}\" is not an absolute http or https URL", cluster.SourceFile);
        }

        // A server bound to every interface is reached through loopback, as kubectl does.
        if (uri.Host is "0.0.0.0" or "[::]")
        {
            var builder = new UriBuilder(uri) { Host = uri.Host == "0.0.0.0" ? "127.0.0.1" : "[::1]" };
            uri = builder.Uri;
        }

        return uri;
    }

    private static (string Pem, string Field)? ReadCertificateAuthority(KubeConfigCluster cluster)
    {
        if (cluster.CertificateAuthorityData is not null)
        {
            return (cluster.CertificateAuthorityData, cluster.Field + ".certificate-authority-data");
        }

        if (cluster.CertificateAuthority is not null)
        {
            var field = cluster.Field + ".certificate-authority";
            return (ReadFile(cluster.CertificateAuthority, field, cluster.SourceFile), field);
        }

        return null;
    }

    private static KubernetesClientConfiguration ApplyUser(
        KubernetesClientConfiguration configuration,
        KubeConfigUser user,
        KubeConfigCluster cluster,
        string? caPem,
        KubernetesEnvironment environment)
    {
        if (user.AuthProvider is not null)
        {
            throw new KubeConfigException(
                user.Field + ".auth-provider",
                $"the \"{user.AuthProvider}\" auth provider is not supported; use an exec plugin instead (for example kubelogin or gke-gcloud-auth-plugin)",
                user.SourceFile);
        }

        var result = configuration;
        var certificate = LoadClientCertificate(user);
        if (certificate is not null)
        {
            result = result with { ClientCertificate = certificate };
        }

        if (user.Token is not null)
        {
            result = result with { AccessToken = user.Token };
        }
        else if (user.TokenFile is not null)
        {
            if (!File.Exists(user.TokenFile))
            {
                throw new KubeConfigException(user.Field + ".tokenFile", $"file \"{user.TokenFile}\" does not exist", user.SourceFile);
            }

            result = result with
            {
                CredentialProvider = new TokenFileCredentialProvider(user.TokenFile, environment.TimeProvider, environment.TokenFileRefreshInterval),
            };
        }
        else if (user.Exec is not null)
        {
            var clusterInfo = new ExecClusterInfo(configuration.Host.ToString(), caPem, cluster.InsecureSkipTlsVerify, cluster.TlsServerName);
            result = result with
            {
                CredentialProvider = new ExecCredentialProvider(user.Exec, clusterInfo, environment.TimeProvider, environment.ExecTimeout),
            };
        }

        if (user.Username is not null || user.Password is not null)
        {
            if (user.Username is null)
            {
                throw new KubeConfigException(user.Field + ".username", "required when password is set", user.SourceFile);
            }

            if (user.Password is null)
            {
                throw new KubeConfigException(user.Field + ".password", "required when username is set", user.SourceFile);
            }

            result = result with { Username = user.Username, Password = user.Password };
        }

        return result;
    }

    private static X509Certificate2? LoadClientCertificate(KubeConfigUser user)
    {
        var hasCertificate = user.ClientCertificateData is not null || user.ClientCertificate is not null;
        var hasKey = user.ClientKeyData is not null || user.ClientKey is not null;
        if (!hasCertificate && !hasKey)
        {
            return null;
        }

        if (!hasKey)
        {
            throw new KubeConfigException(user.Field + ".client-key-data", "required when a client certificate is set (or set client-key)", user.SourceFile);
        }

        if (!hasCertificate)
        {
            throw new KubeConfigException(
                user.Field + ".client-certificate-data",
                "required when a client key is set (or set client-certificate)",
                user.SourceFile);
        }

        var certificateField = user.Field + (user.ClientCertificateData is not null ? ".client-certificate-data" : ".client-certificate");
        var keyField = user.Field + (user.ClientKeyData is not null ? ".client-key-data" : ".client-key");
        var certificatePem = user.ClientCertificateData ?? ReadFile(user.ClientCertificate!, certificateField, user.SourceFile);
        var keyPem = user.ClientKeyData ?? ReadFile(user.ClientKey!, keyField, user.SourceFile);
        if (!PemCertificates.TryLoadCertificate(certificatePem))
        {
            throw new KubeConfigException(certificateField, "contains no PEM certificate", user.SourceFile);
        }

        return PemCertificates.TryLoadCertificateWithKey(certificatePem, keyPem)
            ?? throw new KubeConfigException(keyField, "is not a PEM private key (RSA or EC) that matches the client certificate", user.SourceFile);
    }

    private static string ReadFile(string path, string field, string? source)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new KubeConfigException(field, $"cannot read file \"{path}\": {ex.Message}", source);
        }
    }
}
