using Canary.Analysis;
using Canary.Metrics.NewRelic;
using Canary.Metrics.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Canary.Metrics.Tests.DependencyInjection;

public sealed class AddCanaryNewRelicTests
{
    [Fact]
    public void AddCanaryNewRelic_ValidOptions_RegistersProvider()
    {
        var services = new ServiceCollection().AddCanaryNewRelic(o => (o.AccountId, o.QueryKey) = ("123", "k"));
        using var provider = services.BuildServiceProvider();

        provider.GetServices<IMetricProvider>().Should().ContainSingle()
            .Which.Should().BeOfType<NewRelicMetricProvider>().Which.Name.Should().Be("newrelic");
    }

    [Fact]
    public void AddCanaryNewRelic_InvalidOptions_FailsStartupValidation()
    {
        var services = new ServiceCollection().AddCanaryNewRelic(o => o.AccountId = "acme");
        using var provider = services.BuildServiceProvider();

        var act = () => provider.GetRequiredService<IStartupValidator>().Validate();

        act.Should().Throw<OptionsValidationException>()
            .Which.Failures.Should().Contain("NewRelicOptions.AccountId must be the account's number, digits only.")
            .And.Contain("NewRelicOptions.AccountId is set but QueryKey is not: the Insights query API needs both.");
    }

    [Fact]
    public async Task AddNewRelic_OnCanaryBuilder_QueriesTheConfiguredAccount()
    {
        await using var server = await FakeVendorServer.StartAsync("""{"results":[{"result":0.5}]}""");
        var services = new ServiceCollection();
        services.AddCanary().AddNewRelic(o => (o.Address, o.AccountId, o.QueryKey) = (server.Address, "42", "k"));
        await using var provider = services.BuildServiceProvider();
        var newRelic = provider.GetServices<IMetricProvider>().OfType<NewRelicMetricProvider>().Single();

        var result = await newRelic.EvaluateAsync("SELECT count(*) FROM Transaction", TimeSpan.FromMinutes(1), CancellationToken.None);

        result.Value.Should().Be(0.5);
        server.Requests.Should().ContainSingle().Which.Path.Should().Be("/v1/accounts/42/query");
    }
}
