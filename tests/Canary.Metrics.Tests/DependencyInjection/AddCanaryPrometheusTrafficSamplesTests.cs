using System.Net;
using Canary.Analysis;
using Canary.Metrics.Prometheus;
using Canary.Metrics.Tests.Support;
using Canary.Model;
using Canary.Workloads;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Canary.Metrics.Tests.DependencyInjection;

public sealed class AddCanaryPrometheusTrafficSamplesTests
{
    [Fact]
    public void AddCanaryPrometheusTrafficSamples_WithOptions_RegistersTheSampleProvider()
    {
        var services = new ServiceCollection().AddCanaryPrometheusTrafficSamples(o => o.Address = new Uri("http://prometheus:9090"));
        using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<ITrafficSampleProvider>().Should().BeOfType<PrometheusTrafficSampleProvider>();
    }

    [Fact]
    public async Task AddPrometheusTrafficSamples_AfterAddPrometheus_SharesItsServerAndCredentials()
    {
        await using var server = await FakePrometheusServer.StartAsync(context => FakePrometheusServer.Respond(context, HttpStatusCode.OK, "application/json",
            context.Request.Query["query"].ToString().StartsWith("sum by (le)", StringComparison.Ordinal) ? FakePrometheusServer.Vector() : FakePrometheusServer.Vector("42")));
        var services = new ServiceCollection();
        services.AddCanary().AddPrometheus(o =>
        {
            o.Address = server.Address;
            o.BearerToken = "t0k";
        }).AddPrometheusTrafficSamples();
        await using var provider = services.BuildServiceProvider();

        var counts = await provider.GetRequiredService<ITrafficSampleProvider>()
            .GetCountsAsync(TestQueries.Canary(TrafficProviders.Nginx), WorkloadRole.Canary, TimeSpan.FromMinutes(1), CancellationToken.None);

        counts.Requests.Should().Be(42);
        server.Requests.Should().OnlyContain(r => r.Authorization == "Bearer t0k");
    }

    [Fact]
    public void AddPrometheusTrafficSamples_WithAddPrometheus_AddsTheClientsOnce()
    {
        var services = new ServiceCollection();
        services.AddCanary().AddPrometheus(o => o.Address = new Uri("http://prometheus:9090")).AddPrometheusTrafficSamples();

        services.Count(d => d.ServiceType == typeof(IValidateOptions<PrometheusOptions>)).Should().Be(1);
    }

    [Fact]
    public void AddPrometheusTrafficSamples_NoAddress_FailsStartupValidation()
    {
        var services = new ServiceCollection();
        services.AddCanary().AddPrometheusTrafficSamples();
        using var provider = services.BuildServiceProvider();

        var act = () => provider.GetRequiredService<IStartupValidator>().Validate();

        act.Should().Throw<OptionsValidationException>().Which.Failures.Should().Contain(f => f.StartsWith("PrometheusOptions.Address is required", StringComparison.Ordinal));
    }
}
