using System.Net;
using System.Runtime.Versioning;
using System.Text.Json;
using System.Text.Json.Nodes;
using Canary.Kubernetes.Client;
using Canary.Kubernetes.Configuration;
using Canary.Kubernetes.Tests.Client;
using Canary.Kubernetes.Tests.TestSupport;
using Microsoft.AspNetCore.Http;

namespace Canary.Kubernetes.Tests.Configuration;

[UnsupportedOSPlatform("windows")]
[Collection(ExecPluginTests.Name)]
public sealed class ExecCredentialProviderTests : IDisposable
{
    private const string V1 = "client.authentication.k8s.io/v1";
    private readonly TempDirectory _dir = new();
    private readonly ManualTimeProvider _time = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task GetCredentialsAsync_PluginPrintsToken_ReturnsIt()
    {
        var script = _dir.WriteScript("plugin.sh", PrintCredential(Token("exec-token")));

        var credentials = await Provider(script).GetCredentialsAsync();

        credentials.Token.Should().Be("exec-token");
        credentials.ClientCertificate.Should().BeNull();
        credentials.ExpiresAt.Should().BeNull();
    }

    [Fact]
    public async Task GetCredentialsAsync_ArgsAndEnv_ArePassedOneByOneWithExecInfo()
    {
        var script = _dir.WriteScript("plugin.sh", $"""
            printf '%s\n' "$@" > "{_dir.Combine("args.txt")}"
            printf '%s' "$PLUGIN_REGION" > "{_dir.Combine("env.txt")}"
            printf '%s' "$KUBERNETES_EXEC_INFO" > "{_dir.Combine("info.json")}"
            {PrintCredential(Token("t"))}
            """);
        var user = $$"""
            exec:
                  apiVersion: {{V1}}
                  command: {{script}}
                  args: [get-token, "--cluster", "my cluster; rm -rf /"]
                  env: [{name: PLUGIN_REGION, value: "eu west"}]
                  interactiveMode: Never
            """;
        var config = KubernetesClientConfiguration.FromKubeConfig(KubeConfigTests.Config(user: user), environment: Environment());

        await config.CredentialProvider!.GetCredentialsAsync();

        File.ReadAllLines(_dir.Combine("args.txt")).Should().Equal("get-token", "--cluster", "my cluster; rm -rf /");
        File.ReadAllText(_dir.Combine("env.txt")).Should().Be("eu west");
        var info = JsonNode.Parse(File.ReadAllText(_dir.Combine("info.json")))!;
        info["apiVersion"]!.GetValue<string>().Should().Be(V1);
        info["kind"]!.GetValue<string>().Should().Be("ExecCredential");
        info["spec"]!["interactive"]!.GetValue<bool>().Should().BeFalse();
        info["spec"]!.AsObject().ContainsKey("cluster").Should().BeFalse();
    }

    [Fact]
    public async Task GetCredentialsAsync_ProvideClusterInfo_PassesServerAndCa()
    {
        using var authority = TestCertificates.CreateAuthority();
        var caPem = TestCertificates.ToPem(authority);
        var script = _dir.WriteScript("plugin.sh", $"""
            printf '%s' "$KUBERNETES_EXEC_INFO" > "{_dir.Combine("info.json")}"
            {PrintCredential(Token("t"))}
            """);
        var user = $$"""
            exec: {apiVersion: {{V1}}, command: {{script}}, interactiveMode: Never, provideClusterInfo: true}
            """;
        var yaml = KubeConfigTests.Config(cluster: $"certificate-authority-data: {TestCertificates.ToBase64(caPem)}", user: user);
        var config = KubernetesClientConfiguration.FromKubeConfig(yaml, environment: Environment());

        await config.CredentialProvider!.GetCredentialsAsync();

        var cluster = JsonNode.Parse(File.ReadAllText(_dir.Combine("info.json")))!["spec"]!["cluster"]!;
        cluster["server"]!.GetValue<string>().Should().Be("https://10.0.0.1:6443/");
        cluster["certificate-authority-data"]!.GetValue<string>().Should().Be(TestCertificates.ToBase64(caPem));
    }

    [Fact]
    public async Task GetCredentialsAsync_RelativeCommandPath_ResolvesAgainstKubeconfigDirectory()
    {
        _dir.WriteScript("bin/plugin.sh", PrintCredential(Token("relative")));
        var user = $"exec: {{apiVersion: {V1}, command: ./bin/plugin.sh, interactiveMode: Never}}";
        var config = KubernetesClientConfiguration.FromKubeConfig(KubeConfigTests.Config(user: user), _dir.Path, environment: Environment());

        (await config.CredentialProvider!.GetCredentialsAsync()).Token.Should().Be("relative");
    }

    [Fact]
    public async Task GetCredentialsAsync_WithExpiry_CachesUntilThirtySecondsBefore()
    {
        var expiresAt = _time.GetUtcNow().AddMinutes(10);
        var expiry = expiresAt.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
        var script = _dir.WriteScript("plugin.sh", $"""
            echo run >> "{_dir.Combine("calls.txt")}"
            {PrintCredential(Token("t", expiry))}
            """);
        var provider = Provider(script);

        var first = await provider.GetCredentialsAsync();
        _time.Advance(TimeSpan.FromMinutes(9));
        await provider.GetCredentialsAsync();
        var callsBeforeMargin = Calls();
        _time.Advance(TimeSpan.FromSeconds(31));
        await provider.GetCredentialsAsync();

        first.ExpiresAt.Should().Be(expiresAt);
        callsBeforeMargin.Should().Be(1);
        Calls().Should().Be(2);
    }

    [Fact]
    public async Task GetCredentialsAsync_WithoutExpiry_RunsOnceUntilInvalidated()
    {
        var script = _dir.WriteScript("plugin.sh", $"""
            echo run >> "{_dir.Combine("calls.txt")}"
            {PrintCredential(Token("t"))}
            """);
        var provider = Provider(script);

        await provider.GetCredentialsAsync();
        _time.Advance(TimeSpan.FromDays(1));
        await provider.GetCredentialsAsync();
        var callsBeforeInvalidate = Calls();
        provider.Invalidate();
        await provider.GetCredentialsAsync();

        callsBeforeInvalidate.Should().Be(1);
        Calls().Should().Be(2);
    }

    [Fact]
    public async Task GetCredentialsAsync_PluginFails_SurfacesExitCodeAndStandardError()
    {
        var script = _dir.WriteScript("plugin.sh", """
            echo "error: token expired; run 'az login'" >&2
            exit 3
            """);

        var act = () => Provider(script).GetCredentialsAsync().AsTask();

        (await act.Should().ThrowAsync<KubernetesCredentialException>()).Which.Message.Should()
            .Be($"users[0].user.exec: the exec plugin \"{script}\" exited with code 3. Its standard error: error: token expired; run 'az login'");
    }

    [Fact]
    public async Task GetCredentialsAsync_CommandMissing_ShowsInstallHint()
    {
        var user = $$"""
            exec:
                  apiVersion: {{V1}}
                  command: canary-no-such-plugin
                  interactiveMode: Never
                  installHint: "Install it with: brew install canary-plugin"
            """;
        var config = KubernetesClientConfiguration.FromKubeConfig(KubeConfigTests.Config(user: user), environment: Environment());

        var act = () => config.CredentialProvider!.GetCredentialsAsync().AsTask();

        (await act.Should().ThrowAsync<KubernetesCredentialException>()).Which.Message.Should()
            .StartWith("users[0].user.exec: cannot run the exec plugin \"canary-no-such-plugin\"")
            .And.EndWith("Install it with: brew install canary-plugin");
    }

    [Fact]
    public async Task GetCredentialsAsync_PluginHangs_IsStoppedAfterTimeout()
    {
        var script = _dir.WriteScript("plugin.sh", "exec sleep 60\n");
        var provider = Provider(script);

        var pending = provider.GetCredentialsAsync().AsTask();
        await _time.WaitForTimerAsync(due => due == TimeSpan.FromMinutes(2));
        _time.Advance(TimeSpan.FromMinutes(2));

        (await ((Func<Task>)(() => pending)).Should().ThrowAsync<KubernetesCredentialException>()).Which.Message.Should()
            .EndWith("did not finish within 120 seconds and was stopped.");
    }

    [Fact]
    public async Task GetCredentialsAsync_WrongApiVersion_Throws()
    {
        var script = _dir.WriteScript("plugin.sh", PrintCredential(Token("t").Replace(V1, "client.authentication.k8s.io/v1beta1", StringComparison.Ordinal)));

        var act = () => Provider(script).GetCredentialsAsync().AsTask();

        (await act.Should().ThrowAsync<KubernetesCredentialException>()).Which.Message.Should()
            .Contain("apiVersion \"client.authentication.k8s.io/v1beta1\", but the kubeconfig asks for \"client.authentication.k8s.io/v1\"");
    }

    [Fact]
    public async Task GetCredentialsAsync_InteractiveModeAlways_Throws()
    {
        var user = $"exec: {{apiVersion: {V1}, command: /bin/true, interactiveMode: Always}}";
        var config = KubernetesClientConfiguration.FromKubeConfig(KubeConfigTests.Config(user: user), environment: Environment());

        var act = () => config.CredentialProvider!.GetCredentialsAsync().AsTask();

        (await act.Should().ThrowAsync<KubernetesCredentialException>()).Which.Message.Should().Contain("interactiveMode: Always");
    }

    [Fact]
    public async Task Client_Unauthorized_RunsPluginAgainAndUsesNewToken()
    {
        var counter = _dir.Combine("n.txt");
        var script = _dir.WriteScript("plugin.sh", $$"""
            echo run >> "{{counter}}"
            n=$(wc -l < "{{counter}}" | tr -d ' ')
            printf '{"apiVersion":"{{V1}}","kind":"ExecCredential","status":{"token":"token-%s"}''}' "$n"
            """);
        var handler = FakeKubeApiHandler.Sequence(
            () => FakeKubeApiHandler.Json(HttpStatusCode.Unauthorized, StatusBodies.Unauthorized),
            () => FakeKubeApiHandler.Json("{}"));
        var config = new KubernetesClientConfiguration { Host = TestClients.Host, CredentialProvider = Provider(script) };
        using var client = TestClients.Create(handler, config);

        await client.GetAsync(ResourceType.Pods, "prod", "p");

        handler.Requests.Select(r => r.Authorization).Should().Equal("Bearer token-1", "Bearer token-2");
    }

    [Fact]
    public async Task Client_PluginReturnsClientCertificate_PresentsItOverTls()
    {
        using var authority = TestCertificates.CreateAuthority();
        using var serverCertificate = TestCertificates.CreateServer(authority, "127.0.0.1");
        var (_, certificatePem, keyPem) = TestCertificates.CreateClient(authority, "CN=exec-user", ec: true);
        var status = new JsonObject { ["clientCertificateData"] = certificatePem, ["clientKeyData"] = keyPem };
        var script = _dir.WriteScript("plugin.sh", PrintCredential(Credential(status)));
        await using var server = await TestApiServer.StartAsync(
            async context => await context.Response.WriteAsync($$"""{"client":"{{context.Connection.ClientCertificate?.Subject}}"}"""),
            serverCertificate,
            requireClientCertificate: true);
        var user = $"exec: {{apiVersion: {V1}, command: {script}, interactiveMode: Never}}";
        var yaml = KubernetesApiClientTlsTests.Kubeconfig(
            server.Address, $"certificate-authority-data: {TestCertificates.ToBase64(TestCertificates.ToPem(authority))}", $"{{{user}}}");
        var config = KubernetesClientConfiguration.FromKubeConfig(yaml, environment: Environment());

        using var client = new KubernetesApiClient(config, TestClients.FastOptions(retries: 0));
        var result = await client.GetAsync(ResourceType.Pods, "prod", "p");

        result["client"]!.GetValue<string>().Should().Be("CN=exec-user");
    }

    private ExecCredentialProvider Provider(string script) =>
        new(new ExecPluginConfig(V1, script, [], [], null, "Never", false, "users[0].user.exec"), null, _time, TimeSpan.FromMinutes(2));

    private KubernetesEnvironment Environment() => new() { TimeProvider = _time, HomeDirectory = _dir.Path };

    private int Calls() => File.ReadAllLines(_dir.Combine("calls.txt")).Length;

    internal static string Token(string token, string? expiry = null)
    {
        var status = new JsonObject { ["token"] = token };
        if (expiry is not null)
        {
            status["expirationTimestamp"] = expiry;
        }

        return Credential(status);
    }

    internal static string Credential(JsonObject status) =>
        new JsonObject { ["apiVersion"] = V1, ["kind"] = "ExecCredential", ["status"] = status }.ToJsonString();

    internal static string PrintCredential(string json) => $"cat <<'CREDENTIAL'\n{json}\nCREDENTIAL\n";
}
