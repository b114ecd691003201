using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Canary.Kubernetes.Client;
using Canary.Kubernetes.Configuration;
using Canary.Kubernetes.Tests.TestSupport;
using Microsoft.AspNetCore.Http;

namespace Canary.Kubernetes.Tests.Client;

public sealed class KubernetesApiClientTlsTests
{
    private static readonly RequestDelegate Echo = async context =>
    {
        context.Response.ContentType = "application/json";
        var subject = context.Connection.ClientCertificate?.Subject;
        await context.Response.WriteAsync(subject is null ? """{"client":null}""" : $$"""{"client":"{{subject}}"}""");
    };

    [Fact]
    public async Task GetAsync_ServerSignedByConfiguredCa_Succeeds()
    {
        using var authority = TestCertificates.CreateAuthority();
        using var serverCertificate = TestCertificates.CreateServer(authority, "127.0.0.1");
        await using var server = await TestApiServer.StartAsync(Echo, serverCertificate);
        var config = KubernetesClientConfiguration.FromKubeConfig(Kubeconfig(server.Address, $"certificate-authority-data: {Base64Pem(authority)}"));

        using var client = new KubernetesApiClient(config, TestClients.FastOptions(retries: 0));
        var result = await client.GetAsync(ResourceType.Pods, "prod", "p");

        result["client"].Should().BeNull();
    }

    [Fact]
    public async Task GetAsync_ServerSignedByAnotherCa_FailsTheHandshake()
    {
        using var authority = TestCertificates.CreateAuthority("Real CA");
        using var other = TestCertificates.CreateAuthority("Other CA");
        using var serverCertificate = TestCertificates.CreateServer(authority, "127.0.0.1");
        await using var server = await TestApiServer.StartAsync(Echo, serverCertificate);
        var config = KubernetesClientConfiguration.FromKubeConfig(Kubeconfig(server.Address, $"certificate-authority-data: {Base64Pem(other)}"));

        using var client = new KubernetesApiClient(config, TestClients.FastOptions(retries: 0));
        var act = () => client.GetAsync(ResourceType.Pods, "prod", "p");

        (await act.Should().ThrowAsync<HttpRequestException>()).WithInnerException<AuthenticationException>();
    }

    [Fact]
    public async Task GetAsync_NoCaConfigured_DoesNotTrustTestCa()
    {
        using var authority = TestCertificates.CreateAuthority();
        using var serverCertificate = TestCertificates.CreateServer(authority, "127.0.0.1");
        await using var server = await TestApiServer.StartAsync(Echo, serverCertificate);
        var config = KubernetesClientConfiguration.FromKubeConfig(Kubeconfig(server.Address, string.Empty));

        using var client = new KubernetesApiClient(config, TestClients.FastOptions(retries: 0));
        var act = () => client.GetAsync(ResourceType.Pods, "prod", "p");

        await act.Should().ThrowAsync<HttpRequestException>();
    }

    [Fact]
    public async Task GetAsync_CaMatchesButHostDoesNot_FailsTheHandshake()
    {
        using var authority = TestCertificates.CreateAuthority();
        using var serverCertificate = TestCertificates.CreateServer(authority, "kubernetes.internal");
        await using var server = await TestApiServer.StartAsync(Echo, serverCertificate);
        var config = KubernetesClientConfiguration.FromKubeConfig(Kubeconfig(server.Address, $"certificate-authority-data: {Base64Pem(authority)}"));

        using var client = new KubernetesApiClient(config, TestClients.FastOptions(retries: 0));
        var act = () => client.GetAsync(ResourceType.Pods, "prod", "p");

        await act.Should().ThrowAsync<HttpRequestException>();
    }

    [Fact]
    public async Task GetAsync_TlsServerName_VerifiesCertificateAgainstThatName()
    {
        using var authority = TestCertificates.CreateAuthority();
        using var serverCertificate = TestCertificates.CreateServer(authority, "kubernetes.internal");
        await using var server = await TestApiServer.StartAsync(Echo, serverCertificate);
        var config = KubernetesClientConfiguration.FromKubeConfig(Kubeconfig(
            server.Address, $"{{certificate-authority-data: {Base64Pem(authority)}, tls-server-name: kubernetes.internal}}"));

        using var client = new KubernetesApiClient(config, TestClients.FastOptions(retries: 0));
        var result = await client.GetAsync(ResourceType.Pods, "prod", "p");

        result.Should().ContainKey("client");
    }

    [Fact]
    public async Task GetAsync_InsecureSkipTlsVerify_AcceptsUntrustedServer()
    {
        using var authority = TestCertificates.CreateAuthority();
        using var serverCertificate = TestCertificates.CreateServer(authority, "elsewhere.test");
        await using var server = await TestApiServer.StartAsync(Echo, serverCertificate);
        var config = KubernetesClientConfiguration.FromKubeConfig(Kubeconfig(server.Address, "insecure-skip-tls-verify: true"));

        using var client = new KubernetesApiClient(config, TestClients.FastOptions(retries: 0));
        var result = await client.GetAsync(ResourceType.Pods, "prod", "p");

        result.Should().ContainKey("client");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task GetAsync_ClientCertificateData_IsPresentedToServer(bool ec)
    {
        using var authority = TestCertificates.CreateAuthority();
        using var serverCertificate = TestCertificates.CreateServer(authority, "127.0.0.1");
        var (_, certificatePem, keyPem) = TestCertificates.CreateClient(authority, "CN=alice, O=system:masters", ec);
        await using var server = await TestApiServer.StartAsync(Echo, serverCertificate, requireClientCertificate: true);
        var user = $"{{client-certificate-data: {TestCertificates.ToBase64(certificatePem)}, client-key-data: {TestCertificates.ToBase64(keyPem)}}}";
        var config = KubernetesClientConfiguration.FromKubeConfig(Kubeconfig(server.Address, $"certificate-authority-data: {Base64Pem(authority)}", user));

        using var client = new KubernetesApiClient(config, TestClients.FastOptions(retries: 0));
        var result = await client.GetAsync(ResourceType.Pods, "prod", "p");

        result["client"]!.GetValue<string>().Should().Be("CN=alice, O=system:masters");
    }

    [Fact]
    public void ValidateServerCertificate_NoCertificate_IsRejected()
    {
        var accepted = KubernetesHttpHandlerFactory.ValidateServerCertificate(
            null, null, System.Net.Security.SslPolicyErrors.RemoteCertificateNotAvailable, [], null);

        accepted.Should().BeFalse();
    }

    internal static string Kubeconfig(Uri server, string cluster, string user = "{token: t}") => $"""
        apiVersion: v1
        kind: Config
        current-context: test
        clusters:
        - name: test
          cluster: {Cluster(server, cluster)}
        users:
        - name: test
          user: {user}
        contexts:
        - name: test
          context: {"{"}cluster: test, user: test{"}"}
        """;

    private static string Cluster(Uri server, string cluster)
    {
        var inner = cluster.StartsWith('{') ? cluster[1..^1] : cluster;
        return inner.Length == 0 ? $"{{server: \"{server}\"}}" : $"{{server: \"{server}\", {inner}}}";
    }

    private static string Base64Pem(X509Certificate2 certificate) => TestCertificates.ToBase64(TestCertificates.ToPem(certificate));
}
