using Canary.Kubernetes.Configuration;
using Canary.Kubernetes.Tests.TestSupport;

namespace Canary.Kubernetes.Tests.Configuration;

public sealed class DefaultConfigurationTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void BuildDefault_KubeconfigList_MergesWithFirstFileWinning()
    {
        var first = _dir.Write("a/config", """
            apiVersion: v1
            kind: Config
            current-context: one
            clusters:
            - name: shared
              cluster: {server: "https://first:6443"}
            contexts:
            - name: one
              context: {cluster: shared, user: from-second, namespace: first-ns}
            """);
        var second = _dir.Write("b/config", """
            apiVersion: v1
            kind: Config
            current-context: two
            clusters:
            - name: shared
              cluster: {server: "https://second:6443"}
            users:
            - name: from-second
              user: {token: second-token}
            contexts:
            - name: two
              context: {cluster: shared, user: from-second}
            """);
        var environment = Environment(("KUBECONFIG", $"{first}:{_dir.Combine("missing")}:{second}"));

        var config = KubernetesClientConfiguration.BuildDefault(environment: environment);

        config.ContextName.Should().Be("one");
        config.Host.Should().Be(new Uri("https://first:6443"));
        config.Namespace.Should().Be("first-ns");
        config.AccessToken.Should().Be("second-token");
    }

    [Fact]
    public void BuildDefault_KubeconfigList_ContextFromLaterFileIsAvailable()
    {
        var first = _dir.Write("a/config", KubeConfigTests.Config(user: "token: one"));
        var second = _dir.Write("b/config", """
            contexts:
            - name: staging
              context: {cluster: c1, user: u1, namespace: staging}
            """);
        var environment = Environment(("KUBECONFIG", $"{first}:{second}"));

        var config = KubernetesClientConfiguration.BuildDefault("staging", environment);

        config.Namespace.Should().Be("staging");
    }

    [Fact]
    public void BuildDefault_NoKubeconfigVariable_ReadsHomeKubeConfig()
    {
        _dir.Write(".kube/config", KubeConfigTests.Config(user: "token: from-home"));

        var config = KubernetesClientConfiguration.BuildDefault(environment: Environment());

        config.AccessToken.Should().Be("from-home");
    }

    [Fact]
    public void BuildDefault_NoKubeconfigButServiceAccount_UsesInCluster()
    {
        var account = WriteServiceAccount("sa-token");
        var environment = Environment(("KUBERNETES_SERVICE_HOST", "10.96.0.1"), ("KUBERNETES_SERVICE_PORT", "443")) with
        {
            ServiceAccountDirectory = account,
        };

        var config = KubernetesClientConfiguration.BuildDefault(environment: environment);

        config.Host.Should().Be(new Uri("https://10.96.0.1:443"));
    }

    [Fact]
    public void BuildDefault_NothingFound_ThrowsInsteadOfUsingLocalhost()
    {
        var act = () => KubernetesClientConfiguration.BuildDefault(environment: Environment() with { ServiceAccountDirectory = _dir.Combine("none") });

        act.Should().Throw<KubeConfigException>().Which.Message.Should()
            .StartWith("No Kubernetes configuration found: KUBECONFIG is not set and")
            .And.Contain("KUBERNETES_SERVICE_HOST");
    }

    [Fact]
    public void FromKubeConfigFile_NoPath_UsesKubeconfigVariable()
    {
        var file = _dir.Write("custom", KubeConfigTests.Config(user: "token: custom"));

        var config = KubernetesClientConfiguration.FromKubeConfigFile(environment: Environment(("KUBECONFIG", file)));

        config.AccessToken.Should().Be("custom");
    }

    [Fact]
    public async Task InCluster_ServiceAccount_ReadsHostCaNamespaceAndToken()
    {
        using var authority = TestCertificates.CreateAuthority();
        var account = WriteServiceAccount("sa-token", TestCertificates.ToPem(authority), "payments");
        var environment = Environment(("KUBERNETES_SERVICE_HOST", "10.96.0.1"), ("KUBERNETES_SERVICE_PORT", "443")) with
        {
            ServiceAccountDirectory = account,
        };

        var config = KubernetesClientConfiguration.InCluster(environment);

        config.Host.Should().Be(new Uri("https://10.96.0.1:443"));
        config.Namespace.Should().Be("payments");
        config.CaCertificates!.Single().Thumbprint.Should().Be(authority.Thumbprint);
        (await config.CredentialProvider!.GetCredentialsAsync()).Token.Should().Be("sa-token");
    }

    [Fact]
    public void InCluster_IPv6Host_IsBracketed()
    {
        var account = WriteServiceAccount("t");
        var environment = Environment(("KUBERNETES_SERVICE_HOST", "fd00::1"), ("KUBERNETES_SERVICE_PORT", "6443")) with
        {
            ServiceAccountDirectory = account,
        };

        KubernetesClientConfiguration.InCluster(environment).Host.Should().Be(new Uri("https://[fd00::1]:6443"));
    }

    [Fact]
    public void InCluster_PodNamespaceVariable_BeatsNamespaceFile()
    {
        var account = WriteServiceAccount("t", ns: "from-file");
        var environment = Environment(
            ("KUBERNETES_SERVICE_HOST", "10.96.0.1"),
            ("KUBERNETES_SERVICE_PORT", "443"),
            ("POD_NAMESPACE", "from-env")) with
        {
            ServiceAccountDirectory = account,
        };

        KubernetesClientConfiguration.InCluster(environment).Namespace.Should().Be("from-env");
    }

    [Fact]
    public async Task InCluster_TokenRotated_IsPickedUpAfterAMinuteNotBefore()
    {
        var account = WriteServiceAccount("old-token");
        var time = new ManualTimeProvider();
        var environment = Environment(("KUBERNETES_SERVICE_HOST", "10.96.0.1"), ("KUBERNETES_SERVICE_PORT", "443")) with
        {
            ServiceAccountDirectory = account,
            TimeProvider = time,
        };
        var provider = KubernetesClientConfiguration.InCluster(environment).CredentialProvider!;

        File.WriteAllText(Path.Combine(account, "token"), "new-token");
        time.Advance(TimeSpan.FromSeconds(30));
        var early = await provider.GetCredentialsAsync();
        time.Advance(TimeSpan.FromSeconds(30));
        var late = await provider.GetCredentialsAsync();

        early.Token.Should().Be("old-token");
        late.Token.Should().Be("new-token");
    }

    [Fact]
    public async Task InCluster_Invalidate_RereadsTokenAtOnce()
    {
        var account = WriteServiceAccount("old-token");
        var environment = Environment(("KUBERNETES_SERVICE_HOST", "10.96.0.1"), ("KUBERNETES_SERVICE_PORT", "443")) with
        {
            ServiceAccountDirectory = account,
            TimeProvider = new ManualTimeProvider(),
        };
        var provider = KubernetesClientConfiguration.InCluster(environment).CredentialProvider!;

        File.WriteAllText(Path.Combine(account, "token"), "new-token");
        provider.Invalidate();

        (await provider.GetCredentialsAsync()).Token.Should().Be("new-token");
    }

    [Fact]
    public void InCluster_MissingPort_ThrowsNamingVariable()
    {
        var act = () => KubernetesClientConfiguration.InCluster(Environment(("KUBERNETES_SERVICE_HOST", "10.96.0.1")) with
        {
            ServiceAccountDirectory = WriteServiceAccount("t"),
        });

        act.Should().Throw<KubeConfigException>().Which.Message.Should().StartWith("KUBERNETES_SERVICE_PORT: not set");
    }

    [Fact]
    public void InCluster_CaFileMissing_ThrowsNamingFile()
    {
        var account = WriteServiceAccount("t");
        File.Delete(Path.Combine(account, "ca.crt"));

        var act = () => KubernetesClientConfiguration.InCluster(Environment(("KUBERNETES_SERVICE_HOST", "h"), ("KUBERNETES_SERVICE_PORT", "443")) with
        {
            ServiceAccountDirectory = account,
        });

        act.Should().Throw<KubeConfigException>().Which.Message.Should().StartWith(Path.Combine(account, "ca.crt") + ": cannot read");
    }

    [Fact]
    public void IsInCluster_VariablesWithoutTokenFile_IsFalse()
    {
        var environment = Environment(("KUBERNETES_SERVICE_HOST", "10.96.0.1"), ("KUBERNETES_SERVICE_PORT", "443")) with
        {
            ServiceAccountDirectory = _dir.Combine("empty"),
        };

        KubernetesClientConfiguration.IsInCluster(environment).Should().BeFalse();
    }

    private KubernetesEnvironment Environment(params (string Name, string Value)[] variables)
    {
        var map = variables.ToDictionary(v => v.Name, v => v.Value);
        return new KubernetesEnvironment
        {
            GetEnvironmentVariable = name => map.GetValueOrDefault(name),
            HomeDirectory = _dir.Path,
            ServiceAccountDirectory = _dir.Combine("no-service-account"),
        };
    }

    private string WriteServiceAccount(string token, string? caPem = null, string? ns = null)
    {
        if (caPem is null)
        {
            using var authority = TestCertificates.CreateAuthority();
            caPem = TestCertificates.ToPem(authority);
        }

        var directory = _dir.Combine("serviceaccount-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "token"), token);
        File.WriteAllText(Path.Combine(directory, "ca.crt"), caPem);
        if (ns is not null)
        {
            File.WriteAllText(Path.Combine(directory, "namespace"), ns + "\n");
        }

        return directory;
    }
}
