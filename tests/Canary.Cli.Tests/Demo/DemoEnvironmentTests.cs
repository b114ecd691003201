using Canary.Analysis;
using Canary.Cli.Demo;
using Canary.Engine;
using Canary.Kubernetes.Client;
using Canary.Model;
using Canary.Validation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Canary.Cli.Tests.Demo;

public sealed class DemoEnvironmentTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task StartAsync_Defaults_RunsTheAppsReplicasAsTheSimulatorMakesThemReady()
    {
        await using var demo = await DemoEnvironment.StartAsync(new DemoEnvironmentOptions { StartLoad = false });

        await WaitAsync(demo, c => c.PodsOf("podinfo").Count == 2);

        demo.Cluster.PodsOf("podinfo").Should().OnlyContain(pod => pod.Version == DemoVersions.V1);
        demo.ApiServer.GetObject("networking.k8s.io/v1", "Ingress", "podinfo", "test").Should().NotBeNull("the nginx demo starts with the user's Ingress");
    }

    [Fact]
    public async Task StartAsync_WithLoad_TheUsersReachV1ThroughTheProxy()
    {
        var options = new DemoEnvironmentOptions();
        options.Load.RequestsPerSecond = null;
        options.Load.MaxRequests = 40;

        await using var demo = await DemoEnvironment.StartAsync(options);
        var report = await demo.UserTrafficCompleted.WaitAsync(Timeout);

        report.Answered.Should().Be(40);
        report.ByVersion.Keys.Should().Equal(DemoVersions.V1);
        demo.Proxy.Metrics.TotalRequests.Should().Be(40);
    }

    [Fact]
    public async Task DeployAsync_NewVersion_ThePodsFollowTheDeployment()
    {
        await using var demo = await DemoEnvironment.StartAsync(new DemoEnvironmentOptions { StartLoad = false, Replicas = 3 });

        await demo.DeployAsync(DemoVersions.V3);
        await WaitAsync(demo, c => c.PodsOf("podinfo") is { Count: 3 } pods && pods.All(pod => pod.Version == DemoVersions.V3));

        demo.Cluster.PodsOf("podinfo")[0].Behavior.Should().Be(DemoVersions.Faulty);
    }

    [Fact]
    public async Task StopTrafficAsync_RunningLoad_EndsItAndReportsWhatWasAnswered()
    {
        await using var demo = await DemoEnvironment.StartAsync(new DemoEnvironmentOptions());

        var report = await demo.StopTrafficAsync().WaitAsync(Timeout);

        demo.UserTrafficCompleted.IsCompleted.Should().BeTrue();
        report.TransportFailures.Should().Be(0);
    }

    [Fact]
    public async Task DisposeAsync_Started_FreesTheProxyPort()
    {
        var demo = await DemoEnvironment.StartAsync(new DemoEnvironmentOptions());
        var address = demo.Proxy.Address;

        await demo.DisposeAsync();

        using var client = new HttpClient();
        await client.Invoking(c => c.GetAsync(address)).Should().ThrowAsync<HttpRequestException>();
    }

    [Theory]
    [InlineData("nginx")]
    [InlineData("traefik")]
    [InlineData("smi")]
    [InlineData("linkerd")]
    [InlineData("gatewayapi")]
    [InlineData("label-ratio")]
    [InlineData("kubernetes")]
    public async Task CreateCanary_EachProvider_IsAValidSpecForThatProvider(string provider)
    {
        await using var demo = await DemoEnvironment.StartAsync(new DemoEnvironmentOptions { Provider = provider, StartLoad = false });

        var normal = demo.CreateCanary();
        var fast = demo.CreateCanary(fast: true);

        CanarySpecValidator.Validate(normal, []).Should().BeEmpty();
        CanarySpecValidator.Validate(fast, []).Should().BeEmpty();
        fast.Spec.Provider.Should().Be(provider);
        fast.Spec.Analysis.Interval.Should().BeLessThan(normal.Spec.Analysis.Interval);
    }

    [Fact]
    public async Task AddCanary_Services_RegistersTheDemosApiClockAndMetricProviderForTheBuiltinMetrics()
    {
        await using var demo = await DemoEnvironment.StartAsync(new DemoEnvironmentOptions { Provider = "traefik", StartLoad = false });
        var services = new ServiceCollection();

        demo.AddCanary(services, engine => engine.PublishPassedChecks = false);
        await using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<IKubernetesApi>().Should().BeSameAs(demo.Api);
        provider.GetRequiredService<TimeProvider>().Should().BeSameAs(demo.TimeProvider);
        provider.GetServices<IMetricProvider>().Should().Contain(demo.MetricProvider);
        var engine = provider.GetRequiredService<IOptions<CanaryEngineOptions>>().Value;
        engine.BuiltinMetricsProvider.Should().Be(ProxyMetricProvider.DefaultName);
        engine.DefaultProvider.Should().Be("traefik");
        engine.PublishPassedChecks.Should().BeFalse();
    }

    [Fact]
    public async Task StartAsync_InvalidOptions_NamesTheFields()
    {
        var options = new DemoEnvironmentOptions { Provider = "istio", Replicas = 0 };
        options.Load.MaxConcurrency = 0;

        var act = () => DemoEnvironment.StartAsync(options);

        (await act.Should().ThrowAsync<ArgumentException>()).Which.Message.Should()
            .Contain("Provider").And.Contain("Replicas").And.Contain("Load.MaxConcurrency");
    }

    private static async Task WaitAsync(DemoEnvironment demo, Func<DemoCluster, bool> condition)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        await demo.Cluster.WaitUntilAsync(condition, timeout.Token);
    }
}
