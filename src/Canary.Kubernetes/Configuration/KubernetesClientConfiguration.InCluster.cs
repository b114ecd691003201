using System.Net.Sockets;

namespace Canary.Kubernetes.Configuration;

/// <content>The pod's own service account.</content>
public sealed partial record KubernetesClientConfiguration
{
    /// <summary>
    /// Tells whether the process runs in a pod with a service account: <c>KUBERNETES_SERVICE_HOST</c> and
    /// <c>KUBERNETES_SERVICE_PORT</c> are set and the token and CA files exist.
    /// </summary>
    /// <param name="environment">The environment to read, or <see langword="null"/> for <see cref="KubernetesEnvironment.System"/>.</param>
    /// <returns><see langword="true"/> when <see cref="InCluster"/> can work.</returns>
    public static bool IsInCluster(KubernetesEnvironment? environment = null)
    {
        environment ??= KubernetesEnvironment.System;
        return !string.IsNullOrEmpty(environment.GetEnvironmentVariable("KUBERNETES_SERVICE_HOST")) &&
            !string.IsNullOrEmpty(environment.GetEnvironmentVariable("KUBERNETES_SERVICE_PORT")) &&
            File.Exists(Path.Combine(environment.ServiceAccountDirectory, "token")) &&
            File.Exists(Path.Combine(environment.ServiceAccountDirectory, "ca.crt"));
    }

    /// <summary>
    /// Builds the configuration of the pod's service account: <c>https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT</c>, the
    /// mounted CA, and the mounted token, which is read again at most every minute so that kubelet rotations are picked up.
    /// </summary>
    /// <param name="environment">The environment to read, or <see langword="null"/> for <see cref="KubernetesEnvironment.System"/>.</param>
    /// <returns>The in-cluster configuration.</returns>
    /// <exception cref="KubeConfigException">A variable or a file is missing or malformed.</exception>
    public static KubernetesClientConfiguration InCluster(KubernetesEnvironment? environment = null)
    {
        environment ??= KubernetesEnvironment.System;
        var host = environment.GetEnvironmentVariable("KUBERNETES_SERVICE_HOST");
        var port = environment.GetEnvironmentVariable("KUBERNETES_SERVICE_PORT");
        if (string.IsNullOrEmpty(host))
        {
            throw new KubeConfigException("KUBERNETES_SERVICE_HOST", "not set; the process does not seem to run in a pod", null);
        }

        if (string.IsNullOrEmpty(port))
        {
            throw new KubeConfigException("KUBERNETES_SERVICE_PORT", "not set; the process does not seem to run in a pod", null);
        }

        if (!int.TryParse(port, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var portNumber) ||
            portNumber is < 1 or > 65535)
        {
            throw new KubeConfigException("KUBERNETES_SERVICE_PORT", $"\"{port}\" is not a port number", null);
        }

        var directory = environment.ServiceAccountDirectory;
        var tokenPath = Path.Combine(directory, "token");
        var caPath = Path.Combine(directory, "ca.crt");
        if (!File.Exists(tokenPath))
        {
            throw new KubeConfigException(tokenPath, "the service-account token file does not exist", null);
        }

        string caPem;
        try
        {
            caPem = File.ReadAllText(caPath);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new KubeConfigException(caPath, $"cannot read the service-account CA file: {ex.Message}", null);
        }

        var ca = PemCertificates.TryLoadBundle(caPem) ?? throw new KubeConfigException(caPath, "contains no PEM certificate", null);
        var provider = new TokenFileCredentialProvider(tokenPath, environment.TimeProvider, environment.TokenFileRefreshInterval);

        // Reading the token now makes a broken mount fail here rather than on the first request.
        try
        {
            provider.GetCredentialsAsync().AsTask().GetAwaiter().GetResult();
        }
        catch (KubernetesCredentialException ex)
        {
            throw new KubeConfigException(ex.Message, ex);
        }

        return new KubernetesClientConfiguration
        {
            Host = BuildHost(host, portNumber),
            Namespace = ReadNamespace(environment),
            CaCertificates = ca,
            CredentialProvider = provider,
        };
    }

    private static Uri BuildHost(string host, int port)
    {
        var bracketed = System.Net.IPAddress.TryParse(host, out var address) && address.AddressFamily == AddressFamily.InterNetworkV6
            ? $"[{host}]"
            : host;
        return new UriBuilder(Uri.UriSchemeHttps, bracketed, port).Uri;
    }

    private static string ReadNamespace(KubernetesEnvironment environment)
    {
        var fromEnvironment = environment.GetEnvironmentVariable("POD_NAMESPACE");
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            return fromEnvironment.Trim();
        }

        var path = Path.Combine(environment.ServiceAccountDirectory, "namespace");
        if (File.Exists(path))
        {
            var text = File.ReadAllText(path).Trim();
            if (text.Length > 0)
            {
                return text;
            }
        }

        return "default";
    }
}
