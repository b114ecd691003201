using Canary.Kubernetes.Configuration;
using Canary.Kubernetes.Tests.TestSupport;

namespace Canary.Kubernetes.Tests.Configuration;

public sealed class KubeConfigTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void FromKubeConfig_TokenUser_SetsHostNamespaceAndToken()
    {
        var config = KubernetesClientConfiguration.FromKubeConfig(Config(user: "token: abc123"));

        config.Host.Should().Be(new Uri("https://10.0.0.1:6443"));
        config.Namespace.Should().Be("team");
        config.ContextName.Should().Be("dev");
        config.AccessToken.Should().Be("abc123");
        config.CredentialProvider.Should().BeNull();
    }

    [Fact]
    public void FromKubeConfig_NamedContext_BeatsCurrentContext()
    {
        var yaml = Config(user: "token: abc") + """
            - name: other
              context: {cluster: c1, user: u1, namespace: elsewhere}
            """;

        var config = KubernetesClientConfiguration.FromKubeConfig(yaml, context: "other");

        config.Namespace.Should().Be("elsewhere");
        config.ContextName.Should().Be("other");
    }

    [Fact]
    public void FromKubeConfig_ContextWithoutNamespace_UsesDefault()
    {
        var yaml = Config(user: "token: abc").Replace(", namespace: team", string.Empty, StringComparison.Ordinal);

        KubernetesClientConfiguration.FromKubeConfig(yaml).Namespace.Should().Be("default");
    }

    [Fact]
    public void FromKubeConfig_ContextWithoutUser_IsAnonymous()
    {
        var yaml = Config(user: "token: abc").Replace("user: u1, ", string.Empty, StringComparison.Ordinal);

        var config = KubernetesClientConfiguration.FromKubeConfig(yaml);

        config.AccessToken.Should().BeNull();
        config.ClientCertificate.Should().BeNull();
        config.Username.Should().BeNull();
    }

    [Fact]
    public void FromKubeConfig_ServerOnAllInterfaces_UsesLoopback()
    {
        var config = KubernetesClientConfiguration.FromKubeConfig(Config(server: "https://0.0.0.0:6443", user: "token: x"));

        config.Host.Should().Be(new Uri("https://127.0.0.1:6443"));
    }

    [Fact]
    public async Task FromKubeConfig_TokenFileRelativePath_ResolvesAgainstDirectoryAndRereadsAfterAMinute()
    {
        _dir.Write("secrets/token", "first-token\n");
        var time = new ManualTimeProvider();
        var environment = new KubernetesEnvironment { TimeProvider = time };

        var config = KubernetesClientConfiguration.FromKubeConfig(Config(user: "tokenFile: secrets/token"), _dir.Path, environment: environment);
        var first = await config.CredentialProvider!.GetCredentialsAsync();
        _dir.Write("secrets/token", "rotated-token");
        time.Advance(TimeSpan.FromSeconds(59));
        var beforeMinute = await config.CredentialProvider.GetCredentialsAsync();
        time.Advance(TimeSpan.FromSeconds(1));
        var afterMinute = await config.CredentialProvider.GetCredentialsAsync();

        first.Token.Should().Be("first-token");
        beforeMinute.Token.Should().Be("first-token");
        afterMinute.Token.Should().Be("rotated-token");
    }

    [Fact]
    public void FromKubeConfig_TokenAndTokenFile_TokenWins()
    {
        var config = KubernetesClientConfiguration.FromKubeConfig(Config(user: "{token: inline, tokenFile: /nonexistent}"));

        config.AccessToken.Should().Be("inline");
        config.CredentialProvider.Should().BeNull();
    }

    [Fact]
    public void FromKubeConfig_MissingTokenFile_ThrowsNamingField()
    {
        var act = () => KubernetesClientConfiguration.FromKubeConfig(Config(user: "tokenFile: missing-token"), _dir.Path);

        act.Should().Throw<KubeConfigException>().Which.Message.Should().StartWith("users[0].user.tokenFile: file ");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void FromKubeConfig_ClientCertificateData_LoadsCertificateWithPrivateKey(bool ec)
    {
        using var authority = TestCertificates.CreateAuthority();
        var (certificate, certificatePem, keyPem) = TestCertificates.CreateClient(authority, "CN=alice", ec);
        var user = $"{{client-certificate-data: {TestCertificates.ToBase64(certificatePem)}, client-key-data: {TestCertificates.ToBase64(keyPem)}}}";

        var config = KubernetesClientConfiguration.FromKubeConfig(Config(user: user));

        config.ClientCertificate.Should().NotBeNull();
        config.ClientCertificate!.HasPrivateKey.Should().BeTrue();
        config.ClientCertificate.Thumbprint.Should().Be(certificate.Thumbprint);
    }

    [Fact]
    public void FromKubeConfig_ClientCertificateFiles_ResolvesRelativePaths()
    {
        using var authority = TestCertificates.CreateAuthority();
        var (certificate, certificatePem, keyPem) = TestCertificates.CreateClient(authority, "CN=bob", ec: false);
        _dir.Write("pki/client.crt", certificatePem);
        _dir.Write("pki/client.key", keyPem);

        var config = KubernetesClientConfiguration.FromKubeConfig(
            Config(user: "{client-certificate: pki/client.crt, client-key: pki/client.key}"), _dir.Path);

        config.ClientCertificate!.Thumbprint.Should().Be(certificate.Thumbprint);
    }

    [Fact]
    public void FromKubeConfig_CertificateAuthorityData_LoadsEveryCertificate()
    {
        using var first = TestCertificates.CreateAuthority("CA one");
        using var second = TestCertificates.CreateAuthority("CA two");
        var bundle = TestCertificates.ToPem(first) + "\n" + TestCertificates.ToPem(second);

        var config = KubernetesClientConfiguration.FromKubeConfig(Config(cluster: $"certificate-authority-data: {TestCertificates.ToBase64(bundle)}", user: "token: x"));

        config.CaCertificates.Should().HaveCount(2);
        config.CaCertificates!.Select(c => c.Subject).Should().Equal("CN=CA one", "CN=CA two");
    }

    [Fact]
    public void FromKubeConfig_CertificateAuthorityFile_ResolvesRelativePath()
    {
        using var authority = TestCertificates.CreateAuthority();
        _dir.Write("ca.crt", TestCertificates.ToPem(authority));

        var config = KubernetesClientConfiguration.FromKubeConfig(Config(cluster: "certificate-authority: ca.crt", user: "token: x"), _dir.Path);

        config.CaCertificates!.Single().Thumbprint.Should().Be(authority.Thumbprint);
    }

    [Fact]
    public void FromKubeConfig_InsecureAndTlsServerName_AreRead()
    {
        var config = KubernetesClientConfiguration.FromKubeConfig(
            Config(cluster: "{insecure-skip-tls-verify: true, tls-server-name: kubernetes.default}", user: "token: x"));

        config.SkipTlsVerify.Should().BeTrue();
        config.TlsServerName.Should().Be("kubernetes.default");
    }

    [Fact]
    public void FromKubeConfig_UsernameAndPassword_SetsBasicCredentials()
    {
        var config = KubernetesClientConfiguration.FromKubeConfig(Config(user: "{username: admin, password: hunter2}"));

        config.Username.Should().Be("admin");
        config.Password.Should().Be("hunter2");
    }

    [Fact]
    public void ToString_WithSecrets_RevealsNone()
    {
        var config = KubernetesClientConfiguration.FromKubeConfig(Config(user: "{token: tok-very-secret, username: admin, password: hunter2}"));

        config.ToString().Should().NotContain("tok-very-secret").And.NotContain("hunter2").And.Contain("bearer token");
    }

    [Fact]
    public void FromKubeConfig_ExecPlugin_CreatesCredentialProvider()
    {
        var user = """
            exec:
                  apiVersion: client.authentication.k8s.io/v1
                  command: kubelogin
                  args: [get-token, --server-id, "my server"]
                  env: [{name: AZURE_CONFIG_DIR, value: /tmp/az}]
                  interactiveMode: Never
            """;

        var config = KubernetesClientConfiguration.FromKubeConfig(Config(user: user));

        var provider = config.CredentialProvider.Should().BeOfType<ExecCredentialProvider>().Subject;
        provider.Config.Arguments.Should().Equal("get-token", "--server-id", "my server");
        provider.Config.Environment.Should().ContainSingle().Which.Should().Be(new KeyValuePair<string, string>("AZURE_CONFIG_DIR", "/tmp/az"));
    }

    public static TheoryData<string, string> MalformedConfigs => new()
    {
        { Config(user: "{client-certificate-data: bm90LWEtY2VydA==, client-key-data: '%%%not base64'}"), "users[0].user.client-key-data: not valid base64" },
        { Config(user: "client-certificate-data: " + TestCertificates.ToBase64("not a cert")), "users[0].user.client-key-data: required when a client certificate is set" },
        { Config(user: "{client-certificate-data: " + TestCertificates.ToBase64("not a cert") + ", client-key-data: " + TestCertificates.ToBase64("nor a key") + "}"), "users[0].user.client-certificate-data: contains no PEM certificate" },
        { Config(cluster: "certificate-authority-data: " + TestCertificates.ToBase64("garbage"), user: "token: x"), "clusters[0].cluster.certificate-authority-data: contains no PEM certificate" },
        { Config(cluster: "insecure-skip-tls-verify: maybe", user: "token: x"), "clusters[0].cluster.insecure-skip-tls-verify: expected true or false, found \"maybe\"" },
        { Config(server: "10.0.0.1:6443", user: "token: x"), "clusters[0].cluster.server: \"10.0.0.1:6443\" is not an absolute http or https URL" },
        { Config(server: string.Empty, user: "token: x"), "clusters[0].cluster.server: required" },
        { Config(user: "{username: admin}"), "users[0].user.password: required when username is set" },
        { Config(user: "auth-provider: {name: azure}"), "users[0].user.auth-provider: the \"azure\" auth provider is not supported; use an exec plugin" },
        { Config(user: "exec: {apiVersion: client.authentication.k8s.io/v1alpha1, command: x}"), "users[0].user.exec.apiVersion: \"client.authentication.k8s.io/v1alpha1\" is not supported" },
        { Config(user: "exec: {apiVersion: client.authentication.k8s.io/v1, command: x}"), "users[0].user.exec.interactiveMode: required for client.authentication.k8s.io/v1" },
        { Config(user: "exec: {apiVersion: client.authentication.k8s.io/v1beta1}"), "users[0].user.exec.command: required" },
        { Config(user: "exec: {apiVersion: client.authentication.k8s.io/v1beta1, command: x, env: [{value: y}]}"), "users[0].user.exec.env[0].name: required" },
        { Config(user: "token: x").Replace("user: u1,", "user: nobody,", StringComparison.Ordinal), "contexts[0].context.user: no user named \"nobody\"" },
        { Config(user: "token: x").Replace("cluster: c1,", "cluster: nowhere,", StringComparison.Ordinal), "contexts[0].context.cluster: no cluster named \"nowhere\"" },
        { Config(user: "token: x").Replace("current-context: dev", "current-context: prod", StringComparison.Ordinal), "contexts: no context named \"prod\"" },
        { Config(user: "token: x").Replace("current-context: dev", string.Empty, StringComparison.Ordinal), "current-context: not set, and no context was asked for" },
        { "clusters: {name: c1}", "clusters: expected a list" },
        { "clusters:\n- cluster: {server: https://x}", "clusters[0].name: required" },
        { "kind: Pod", "kind: expected \"Config\", found \"Pod\"" },
        { "clusters: [unclosed", "(document): not valid YAML at line 2, column 1" },
        { "- just\n- a list", "(document): expected a mapping" },
    };

    [Theory]
    [MemberData(nameof(MalformedConfigs))]
    public void FromKubeConfig_Malformed_ThrowsNamingTheField(string yaml, string expectedStart)
    {
        var act = () => KubernetesClientConfiguration.FromKubeConfig(yaml);

        act.Should().Throw<KubeConfigException>().Which.Message.Should().StartWith(expectedStart);
    }

    [Fact]
    public void FromKubeConfig_KeyNotMatchingCertificate_ThrowsNamingKeyField()
    {
        using var authority = TestCertificates.CreateAuthority();
        var (_, certificatePem, _) = TestCertificates.CreateClient(authority, "CN=alice", ec: false);
        var (_, _, otherKey) = TestCertificates.CreateClient(authority, "CN=eve", ec: false);
        var user = $"{{client-certificate-data: {TestCertificates.ToBase64(certificatePem)}, client-key-data: {TestCertificates.ToBase64(otherKey)}}}";

        var act = () => KubernetesClientConfiguration.FromKubeConfig(Config(user: user));

        act.Should().Throw<KubeConfigException>().Which.Field.Should().Be("users[0].user.client-key-data");
    }

    [Fact]
    public void FromKubeConfigFile_MalformedFile_NamesTheFile()
    {
        var path = _dir.Write("config", Config(user: "client-key-data: '***'"));

        var act = () => KubernetesClientConfiguration.FromKubeConfigFile(path);

        var exception = act.Should().Throw<KubeConfigException>().Which;
        exception.FilePath.Should().Be(path);
        exception.Message.Should().Be($"users[0].user.client-key-data: not valid base64 (in {path})");
    }

    [Fact]
    public void FromKubeConfigFile_MissingFile_Throws()
    {
        var act = () => KubernetesClientConfiguration.FromKubeConfigFile(_dir.Combine("nope"));

        act.Should().Throw<KubeConfigException>().WithMessage("*does not exist*");
    }

    internal static string Config(string server = "https://10.0.0.1:6443", string cluster = "", string user = "token: x")
    {
        var clusterBody = cluster.Length == 0 ? $"{{server: {Quote(server)}}}" : MergeFlow(server, cluster);
        return $"""
            apiVersion: v1
            kind: Config
            current-context: dev
            clusters:
            - name: c1
              cluster: {clusterBody}
            users:
            - name: u1
              user:
                {user}
            contexts:
            - name: dev
              context: {"{"}cluster: c1, user: u1, namespace: team{"}"}

            """;
    }

    private static string Quote(string value) => value.Length == 0 ? "''" : value;

    private static string MergeFlow(string server, string cluster)
    {
        var inner = cluster.StartsWith('{') ? cluster[1..^1] : cluster;
        return server.Length == 0 ? $"{{{inner}}}" : $"{{server: {server}, {inner}}}";
    }
}
