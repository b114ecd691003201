using Canary.Analysis;
using Canary.Metrics.Datadog;
using Canary.Metrics.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Canary.Metrics.Tests.DependencyInjection;

public sealed class AddCanaryDatadogTests
{
    private const string Series = """{"status":"ok","series":[{"pointlist":[[1735689540000.0,4.5]]}]}""";

    [Fact]
    public void AddCanaryDatadog_ValidOptions_RegistersProvider()
    {
        var services = new ServiceCollection().AddCanaryDatadog(o => (o.ApiKey, o.ApplicationKey) = ("a", "b"));
        using var provider = services.BuildServiceProvider();

        provider.GetServices<IMetricProvider>().Should().ContainSingle()
            .Which.Should().BeOfType<DatadogMetricProvider>().Which.Name.Should().Be("datadog");
    }

    [Fact]
    public void AddCanaryDatadog_CalledTwice_RegistersOneProvider()
    {
        var services = new ServiceCollection()
            .AddCanaryDatadog(o => (o.ApiKey, o.ApplicationKey) = ("a", "b"))
            .AddCanaryDatadog(o => o.Site = "datadoghq.eu");
        using var provider = services.BuildServiceProvider();

        provider.GetServices<IMetricProvider>().Should().ContainSingle();
    }

    [Fact]
    public void AddCanaryDatadog_InvalidOptions_FailsStartupValidation()
    {
        var services = new ServiceCollection().AddCanaryDatadog(o => (o.ApiKey, o.QueryTimeout) = ("a", TimeSpan.Zero));
        using var provider = services.BuildServiceProvider();

        var act = () => provider.GetRequiredService<IStartupValidator>().Validate();

        act.Should().Throw<OptionsValidationException>()
            .Which.Failures.Should().Contain(f => f.StartsWith("DatadogOptions.ApiKey is set but ApplicationKey is not", StringComparison.Ordinal))
            .And.Contain(f => f.StartsWith("DatadogOptions.QueryTimeout must be greater than zero", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AddDatadog_OnCanaryBuilderWithSecrets_QueriesWithTheSecretsKeys()
    {
        await using var server = await FakeVendorServer.StartAsync(Series);
        var services = new ServiceCollection();
        services.AddCanaryMetricSecrets(s => s.Set("test", "datadog", new Dictionary<string, string>
        {
            [DatadogMetricProvider.ApiKeySecretKey] = "k1",
            [DatadogMetricProvider.ApplicationKeySecretKey] = "k2",
        }));
        services.AddCanary().AddDatadog(o => o.Address = server.Address);
        await using var provider = services.BuildServiceProvider();
        var datadog = provider.GetServices<IMetricProvider>().OfType<DatadogMetricProvider>().Single();

        var result = await datadog.QueryAsync(VendorQueries.Template("datadog", "avg:x{*}", secretRef: "datadog"), CancellationToken.None);

        result.Value.Should().Be(4.5);
        server.Requests.Should().ContainSingle().Which.Headers.Should().Contain("DD-API-KEY", "k1").And.Contain("DD-APPLICATION-KEY", "k2");
    }
}
