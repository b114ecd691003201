using Canary.Analysis;
using Canary.Metrics.Secrets;
using Microsoft.Extensions.DependencyInjection;

namespace Canary.Metrics.Tests.Secrets;

public sealed class InMemoryMetricSecretResolverTests
{
    [Fact]
    public async Task GetSecretAsync_SetSecret_ReturnsItsValues()
    {
        var resolver = new InMemoryMetricSecretResolver();
        resolver.Set("test", "datadog", new Dictionary<string, string> { ["datadog_api_key"] = "k" });

        var secret = await resolver.GetSecretAsync("test", "datadog", CancellationToken.None);

        secret.Should().Equal(new Dictionary<string, string> { ["datadog_api_key"] = "k" });
    }

    [Fact]
    public async Task GetSecretAsync_OtherNamespace_ReturnsNull()
    {
        var resolver = new InMemoryMetricSecretResolver();
        resolver.Set("test", "datadog", new Dictionary<string, string> { ["datadog_api_key"] = "k" });

        (await resolver.GetSecretAsync("prod", "datadog", CancellationToken.None)).Should().BeNull();
    }

    [Fact]
    public async Task Set_CallerChangesItsDictionaryLater_SecretKeepsTheOldValues()
    {
        var resolver = new InMemoryMetricSecretResolver();
        var values = new Dictionary<string, string> { ["k"] = "before" };
        resolver.Set("test", "s", values);

        values["k"] = "after";

        (await resolver.GetSecretAsync("test", "s", CancellationToken.None))!["k"].Should().Be("before");
    }

    [Fact]
    public async Task Remove_SetSecret_RemovesIt()
    {
        var resolver = new InMemoryMetricSecretResolver();
        resolver.Set("test", "s", new Dictionary<string, string>());

        resolver.Remove("test", "s").Should().BeTrue();
        (await resolver.GetSecretAsync("test", "s", CancellationToken.None)).Should().BeNull();
    }

    [Fact]
    public async Task AddCanaryMetricSecrets_CalledTwice_FillsOneResolver()
    {
        var services = new ServiceCollection()
            .AddCanaryMetricSecrets(s => s.Set("test", "a", new Dictionary<string, string> { ["k"] = "1" }))
            .AddCanaryMetricSecrets(s => s.Set("test", "b", new Dictionary<string, string> { ["k"] = "2" }));
        await using var provider = services.BuildServiceProvider();

        var resolver = provider.GetServices<IMetricSecretResolver>().Should().ContainSingle().Subject;

        (await resolver.GetSecretAsync("test", "a", CancellationToken.None)).Should().NotBeNull();
        (await resolver.GetSecretAsync("test", "b", CancellationToken.None)).Should().NotBeNull();
    }

    [Fact]
    public void AddCanaryMetricSecrets_OtherResolverRegistered_Throws()
    {
        var services = new ServiceCollection().AddSingleton<IMetricSecretResolver, OtherResolver>();

        var act = () => services.AddCanaryMetricSecrets(_ => { });

        act.Should().Throw<InvalidOperationException>().WithMessage("Another IMetricSecretResolver is registered already*");
    }

    private sealed class OtherResolver : IMetricSecretResolver
    {
        public ValueTask<IReadOnlyDictionary<string, string>?> GetSecretAsync(string secretNamespace, string name, CancellationToken cancellationToken) =>
            ValueTask.FromResult<IReadOnlyDictionary<string, string>?>(null);
    }
}
