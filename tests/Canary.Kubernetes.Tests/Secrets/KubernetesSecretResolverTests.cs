using System.Text.Json.Nodes;
using Canary.Kubernetes.Secrets;
using Canary.Kubernetes.Tests.TestSupport;
using Microsoft.Extensions.Logging;
using ManualClock = Canary.Testing.Time.ManualTimeProvider;

namespace Canary.Kubernetes.Tests.Secrets;

public sealed class KubernetesSecretResolverTests : IAsyncLifetime, IDisposable
{
    private const string ApiKey = "dd-api-key-0123456789";
    private const string SecretPath = "/api/v1/namespaces/test/secrets/datadog";

    private readonly ManualClock _clock = new();
    private readonly ListLoggerFactory _logs = new();
    private FakeCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await FakeCluster.StartAsync();

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    public void Dispose() => _logs.Dispose();

    [Fact]
    public async Task GetSecretAsync_SecretExists_ReturnsItsDecodedData()
    {
        _cluster.Seed(TestObjects.Secret("datadog", ("datadog_api_key", ApiKey), ("datadog_application_key", "app-key\n")));

        var values = await Resolver().GetSecretAsync(FakeCluster.Namespace, "datadog", default);

        values.Should().BeEquivalentTo(new Dictionary<string, string>
        {
            ["datadog_api_key"] = ApiKey,
            ["datadog_application_key"] = "app-key\n",
        });
    }

    [Fact]
    public async Task GetSecretAsync_SecretMissing_ReturnsNull()
    {
        var values = await Resolver().GetSecretAsync(FakeCluster.Namespace, "datadog", default);

        values.Should().BeNull();
    }

    [Fact]
    public async Task GetSecretAsync_SecretWithoutData_ReturnsNoKeys()
    {
        var secret = TestObjects.Secret("datadog");
        secret.Remove("data");
        _cluster.Seed(secret);

        var values = await Resolver().GetSecretAsync(FakeCluster.Namespace, "datadog", default);

        values.Should().NotBeNull().And.BeEmpty();
    }

    [Fact]
    public async Task GetSecretAsync_MalformedBase64_ThrowsNamingSecretAndKeyButNotTheValue()
    {
        const string Malformed = "not*base64*" + ApiKey;
        _cluster.Seed(SecretWithRawData("datadog_api_key", Malformed));

        var act = async () => await Resolver().GetSecretAsync(FakeCluster.Namespace, "datadog", default);

        var exception = (await act.Should().ThrowAsync<FormatException>()).Which;
        exception.Message.Should().Be("Secret test/datadog: the value of key \"datadog_api_key\" is not valid base64.");
        exception.ToString().Should().NotContain(ApiKey).And.NotContain(Malformed);
    }

    [Fact]
    public async Task GetSecretAsync_ValueNotUtf8_ThrowsNamingSecretAndKey()
    {
        _cluster.Seed(SecretWithRawData("password", Convert.ToBase64String([0x70, 0xFF, 0xFE, 0x71])));

        var act = async () => await Resolver().GetSecretAsync(FakeCluster.Namespace, "datadog", default);

        var exception = (await act.Should().ThrowAsync<FormatException>()).Which;
        exception.Message.Should().Be("Secret test/datadog: the value of key \"password\" is not UTF-8 text.");
        exception.InnerException.Should().BeNull();
    }

    [Fact]
    public async Task GetSecretAsync_WithinCacheDuration_ReadsTheServerOnce()
    {
        _cluster.Seed(TestObjects.Secret("datadog", ("datadog_api_key", ApiKey)));
        var resolver = Resolver(TimeSpan.FromSeconds(30));

        await resolver.GetSecretAsync(FakeCluster.Namespace, "datadog", default);
        _clock.Advance(TimeSpan.FromSeconds(29));
        await resolver.GetSecretAsync(FakeCluster.Namespace, "datadog", default);

        SecretReads().Should().Be(1);
    }

    [Fact]
    public async Task GetSecretAsync_AfterCacheDuration_ReadsTheChangedSecret()
    {
        _cluster.Seed(TestObjects.Secret("datadog", ("datadog_api_key", "old-key")));
        var resolver = Resolver(TimeSpan.FromSeconds(30));
        await resolver.GetSecretAsync(FakeCluster.Namespace, "datadog", default);
        _cluster.Seed(TestObjects.Secret("datadog", ("datadog_api_key", ApiKey)));

        _clock.Advance(TimeSpan.FromSeconds(30));
        var values = await resolver.GetSecretAsync(FakeCluster.Namespace, "datadog", default);

        values!["datadog_api_key"].Should().Be(ApiKey);
        SecretReads().Should().Be(2);
    }

    [Fact]
    public async Task GetSecretAsync_MissingSecretCreatedLater_IsFoundAtTheNextCall()
    {
        var resolver = Resolver(TimeSpan.FromMinutes(5));
        await resolver.GetSecretAsync(FakeCluster.Namespace, "datadog", default);
        _cluster.Seed(TestObjects.Secret("datadog", ("datadog_api_key", ApiKey)));

        var values = await resolver.GetSecretAsync(FakeCluster.Namespace, "datadog", default);

        values.Should().ContainKey("datadog_api_key");
    }

    [Fact]
    public async Task GetSecretAsync_Read_LogsNamesButNeverValues()
    {
        _cluster.Seed(TestObjects.Secret("datadog", ("datadog_api_key", ApiKey)));

        await Resolver().GetSecretAsync(FakeCluster.Namespace, "datadog", default);

        _logs.Entries.Should().ContainSingle(e => e.EventId.Id == 3500).Which.Message.Should().Be(
            "Read Secret test/datadog for a metric template: 1 keys");
        _logs.Entries.Should().NotContain(e => e.Message.Contains(ApiKey, StringComparison.Ordinal));
    }

    [Fact]
    public void Constructor_NegativeCacheDuration_Throws()
    {
        var act = () => new KubernetesSecretResolver(_cluster.Client(), TimeSpan.FromSeconds(-1));

        act.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("cacheDuration");
    }

    private KubernetesSecretResolver Resolver(TimeSpan? cacheDuration = null) =>
        new(_cluster.Client(), cacheDuration, _clock, _logs.CreateLogger<KubernetesSecretResolver>());

    private int SecretReads() => _cluster.Server.Requests.Count(r => r.Method == "GET" && r.Path == SecretPath);

    private static JsonObject SecretWithRawData(string key, string value)
    {
        var secret = TestObjects.Secret("datadog");
        secret["data"] = new JsonObject { [key] = value };
        return secret;
    }
}
