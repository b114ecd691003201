using Canary.Analysis;
using Canary.Metrics.Prometheus;
using Canary.Metrics.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Canary.Metrics.Tests.DependencyInjection;

public sealed class AddCanaryPrometheusTests
{
    [Fact]
    public void AddCanaryPrometheus_ValidOptions_RegistersProvider()
    {
        var services = new ServiceCollection().AddCanaryPrometheus(o => o.Address = new Uri("http://prometheus:9090"));
        using var provider = services.BuildServiceProvider();

        var providers = provider.GetServices<IMetricProvider>();

        providers.Should().ContainSingle().Which.Should().BeOfType<PrometheusMetricProvider>().Which.Name.Should().Be("prometheus");
    }

    [Fact]
    public void AddCanaryPrometheus_CalledTwice_RegistersOneProvider()
    {
        var services = new ServiceCollection()
            .AddCanaryPrometheus(o => o.Address = new Uri("http://prometheus:9090"))
            .AddCanaryPrometheus(o => o.QueryTimeout = TimeSpan.FromSeconds(2));
        using var provider = services.BuildServiceProvider();

        provider.GetServices<IMetricProvider>().Should().ContainSingle();
    }

    [Fact]
    public void AddCanaryPrometheus_InvalidOptions_FailsStartupValidation()
    {
        var services = new ServiceCollection().AddCanaryPrometheus(o => o.QueryTimeout = TimeSpan.Zero);
        using var provider = services.BuildServiceProvider();

        var act = () => provider.GetRequiredService<IStartupValidator>().Validate();

        act.Should().Throw<OptionsValidationException>()
            .Which.Failures.Should().Contain(f => f.StartsWith("PrometheusOptions.Address is required", StringComparison.Ordinal))
            .And.Contain(f => f.StartsWith("PrometheusOptions.QueryTimeout must be greater than zero", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AddCanaryPrometheus_NamedClient_QueriesServer()
    {
        await using var server = await FakePrometheusServer.StartAsync(FakePrometheusServer.Vector("12.5"));
        var services = new ServiceCollection().AddCanaryPrometheus(o =>
        {
            o.Address = server.Address;
            o.BearerToken = "t0k";
        });
        await using var provider = services.BuildServiceProvider();
        var prometheus = (PrometheusMetricProvider)provider.GetServices<IMetricProvider>().Single();

        var result = await prometheus.EvaluateAsync("up", CancellationToken.None);

        result.Value.Should().Be(12.5);
        server.Requests.Should().ContainSingle().Which.Authorization.Should().Be("Bearer t0k");
    }
}
