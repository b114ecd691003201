using System.Net;
using Canary.Analysis;
using Canary.Metrics.Graphite;
using Canary.Metrics.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Canary.Metrics.Tests.DependencyInjection;

public sealed class AddCanaryGraphiteTests
{
    private const string Series = """[{"target":"a","datapoints":[[3.0,1735689540]]}]""";

    [Fact]
    public void AddCanaryGraphite_ValidOptions_RegistersProvider()
    {
        var services = new ServiceCollection().AddCanaryGraphite(o => o.Address = new Uri("http://graphite"));
        using var provider = services.BuildServiceProvider();

        provider.GetServices<IMetricProvider>().Should().ContainSingle()
            .Which.Should().BeOfType<GraphiteMetricProvider>().Which.Name.Should().Be("graphite");
    }

    [Fact]
    public void AddCanaryGraphite_InvalidOptions_FailsStartupValidation()
    {
        var services = new ServiceCollection().AddCanaryGraphite(o => o.Password = "p");
        using var provider = services.BuildServiceProvider();

        var act = () => provider.GetRequiredService<IStartupValidator>().Validate();

        act.Should().Throw<OptionsValidationException>()
            .Which.Failures.Should().Contain(f => f.StartsWith("GraphiteOptions.Address is required", StringComparison.Ordinal))
            .And.Contain("GraphiteOptions.Password is set but Username is not: basic authentication needs both.");
    }

    [Fact]
    public async Task AddGraphite_TemplateWithInsecureSkipVerify_AcceptsAnUntrustedCertificate()
    {
        using var certificates = TestCertificates.Create();
        await using var server = await FakePrometheusServer.StartAsync(
            c => FakePrometheusServer.Respond(c, HttpStatusCode.OK, "application/json", Series),
            certificates.Server);
        var services = new ServiceCollection();
        services.AddCanary().AddGraphite(o => o.Address = server.Address);
        await using var provider = services.BuildServiceProvider();
        var graphite = provider.GetServices<IMetricProvider>().OfType<GraphiteMetricProvider>().Single();

        var result = await graphite.QueryAsync(VendorQueries.Template("graphite", "a", insecureSkipVerify: true), CancellationToken.None);

        result.Value.Should().Be(3);
    }

    [Fact]
    public async Task AddGraphite_TemplateWithoutInsecureSkipVerify_RefusesAnUntrustedCertificate()
    {
        using var certificates = TestCertificates.Create();
        await using var server = await FakePrometheusServer.StartAsync(
            c => FakePrometheusServer.Respond(c, HttpStatusCode.OK, "application/json", Series),
            certificates.Server);
        var services = new ServiceCollection();
        services.AddCanary().AddGraphite(o => o.Address = server.Address);
        await using var provider = services.BuildServiceProvider();
        var graphite = provider.GetServices<IMetricProvider>().OfType<GraphiteMetricProvider>().Single();

        var act = async () => await graphite.QueryAsync(VendorQueries.Template("graphite", "a"), CancellationToken.None);

        await act.Should().ThrowAsync<GraphiteQueryException>().WithMessage("Could not reach Graphite at https://127.0.0.1:*");
    }
}
