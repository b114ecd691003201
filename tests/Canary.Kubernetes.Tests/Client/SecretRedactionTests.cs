using System.Net;
using System.Runtime.Versioning;
using System.Text.Json.Nodes;
using Canary.Kubernetes.Client;
using Canary.Kubernetes.Configuration;
using Canary.Kubernetes.Tests.Configuration;
using Canary.Kubernetes.Tests.TestSupport;
using Microsoft.AspNetCore.Http;

namespace Canary.Kubernetes.Tests.Client;

/// <summary>Servers and plugins that echo secrets back must not get them into exception messages or logs.</summary>
[Collection(ExecPluginTests.Name)]
public sealed class SecretRedactionTests : IDisposable
{
    private const string Token = "eyJhbGciOiJSUzI1NiJ9.secret-bearer-token";
    private const string Password = "correct-horse-battery";
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData(401, "Unauthorized")]
    [InlineData(403, "Forbidden")]
    public async Task GetAsync_StatusEchoingBearerToken_KeepsTokenOutOfMessageAndStatus(int code, string reason)
    {
        var logs = new ListLoggerFactory();
        await using var server = await TestApiServer.StartAsync(async context =>
        {
            context.Response.StatusCode = code;
            context.Response.ContentType = "application/json";
            var echoed = context.Request.Headers.Authorization.ToString();
            await context.Response.WriteAsync(new JsonObject
            {
                ["kind"] = "Status",
                ["apiVersion"] = "v1",
                ["status"] = "Failure",
                ["message"] = $"credentials {echoed} were rejected",
                ["reason"] = reason,
                ["code"] = code,
            }.ToJsonString());
        });
        using var client = new KubernetesApiClient(
            new KubernetesClientConfiguration { Host = server.Address, AccessToken = Token },
            TestClients.FastOptions(logs: logs));

        var exception = (await ((Func<Task>)(() => client.GetAsync(ResourceType.Pods, "prod", "p"))).Should().ThrowAsync<KubernetesException>()).Which;

        exception.StatusCode.Should().Be((HttpStatusCode)code);
        exception.Message.Should().Contain("credentials Bearer [redacted] were rejected");
        exception.ToString().Should().NotContain(Token);
        exception.Status!.Message.Should().NotContain(Token);
        logs.Entries.Should().NotContain(e => e.Message.Contains(Token, StringComparison.Ordinal));
    }

    [Fact]
    public async Task GetAsync_HtmlErrorEchoingBasicCredentials_KeepsPasswordAndHeaderOut()
    {
        var basic = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"admin:{Password}"));
        var handler = new FakeKubeApiHandler(request => new HttpResponseMessage(HttpStatusCode.Forbidden)
        {
            Content = new StringContent($"<html><body>denied {request.Authorization} for password {Password}</body></html>", null, "text/html"),
        });
        using var client = TestClients.Create(
            handler, new KubernetesClientConfiguration { Host = TestClients.Host, Username = "admin", Password = Password });

        var exception = (await ((Func<Task>)(() => client.GetAsync(ResourceType.Pods, "prod", "p"))).Should().ThrowAsync<KubernetesException>()).Which;

        handler.Requests[0].Authorization.Should().Be($"Basic {basic}", "the echo must really contain the secrets");
        exception.ToString().Should().NotContain(Password).And.NotContain(basic);
    }

    [Fact]
    [UnsupportedOSPlatform("windows")]
    public async Task ExecPlugin_FailsAfterPrintingToken_KeepsTokenOutOfMessage()
    {
        var script = _dir.WriteScript("plugin.sh", ExecCredentialProviderTests.PrintCredential(ExecCredentialProviderTests.Token(Token)) + "exit 1\n");

        var exception = await ExecFailure(script);

        exception.Message.Should().Contain("exited with code 1");
        exception.ToString().Should().NotContain(Token);
    }

    [Fact]
    [UnsupportedOSPlatform("windows")]
    public async Task ExecPlugin_PrintsMalformedJsonWithToken_KeepsTokenOutOfMessage()
    {
        var script = _dir.WriteScript("plugin.sh", $"echo '{Token}, not json'\n");

        var exception = await ExecFailure(script);

        exception.Message.Should().Contain("did not print an ExecCredential JSON object");
        exception.ToString().Should().NotContain(Token);
    }

    [Fact]
    [UnsupportedOSPlatform("windows")]
    public async Task ExecPlugin_PrintsWrongKindWithToken_KeepsTokenOutOfMessage()
    {
        var json = ExecCredentialProviderTests.Token(Token).Replace("\"ExecCredential\"", "\"ExecCredentials\"", StringComparison.Ordinal);
        var script = _dir.WriteScript("plugin.sh", ExecCredentialProviderTests.PrintCredential(json));

        var exception = await ExecFailure(script);

        exception.Message.Should().Contain("printed kind \"ExecCredentials\"");
        exception.ToString().Should().NotContain(Token);
    }

    [Fact]
    [UnsupportedOSPlatform("windows")]
    public async Task ExecPlugin_PrintsKeyNotMatchingCertificate_KeepsKeyOutOfMessage()
    {
        using var authority = TestCertificates.CreateAuthority();
        var (_, certificatePem, _) = TestCertificates.CreateClient(authority, "CN=a", ec: true);
        var (_, _, otherKey) = TestCertificates.CreateClient(authority, "CN=b", ec: true);
        var status = new JsonObject { ["clientCertificateData"] = certificatePem, ["clientKeyData"] = otherKey };
        var script = _dir.WriteScript("plugin.sh", ExecCredentialProviderTests.PrintCredential(ExecCredentialProviderTests.Credential(status)));

        var exception = await ExecFailure(script);

        var keyBody = otherKey.Split('\n')[1];
        exception.Message.Should().Contain("not a PEM certificate and matching private key");
        exception.ToString().Should().NotContain(keyBody);
    }

    [Fact]
    public void FromKubeConfig_InvalidKeyData_KeepsKeyOutOfMessage()
    {
        var secretKeyText = "-----BEGIN EC PRIVATE KEY-----\nc2VjcmV0LWtleS1tYXRlcmlhbA==\n-----END EC PRIVATE KEY-----";
        using var authority = TestCertificates.CreateAuthority();
        var (_, certificatePem, _) = TestCertificates.CreateClient(authority, "CN=a", ec: true);
        var user = $"{{client-certificate-data: {TestCertificates.ToBase64(certificatePem)}, client-key-data: {TestCertificates.ToBase64(secretKeyText)}}}";

        var act = () => KubernetesClientConfiguration.FromKubeConfig(KubeConfigTests.Config(user: user));

        act.Should().Throw<KubeConfigException>().Which.ToString().Should()
            .NotContain("c2VjcmV0LWtleS1tYXRlcmlhbA").And.NotContain(TestCertificates.ToBase64(secretKeyText));
    }

    private static async Task<KubernetesCredentialException> ExecFailure(string script)
    {
        var provider = new ExecCredentialProvider(
            new ExecPluginConfig("client.authentication.k8s.io/v1", script, [], [], null, "Never", false, "users[0].user.exec"),
            null,
            TimeProvider.System,
            TimeSpan.FromMinutes(2));
        var act = () => provider.GetCredentialsAsync().AsTask();
        return (await act.Should().ThrowAsync<KubernetesCredentialException>()).Which;
    }
}
