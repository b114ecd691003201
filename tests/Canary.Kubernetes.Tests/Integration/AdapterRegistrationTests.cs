using Canary.Analysis;
using Canary.Kubernetes.DependencyInjection;
using Canary.Kubernetes.Secrets;
using Canary.Kubernetes.Tests.TestSupport;
using Canary.Kubernetes.Workloads;
using Canary.Model;
using Canary.Workloads;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Canary.Kubernetes.Tests.Integration;

/// <summary>What <c>AddKubernetes</c> registers for baselines and metric secrets.</summary>
public sealed class AdapterRegistrationTests
{
    private static readonly Uri Host = new("http://127.0.0.1:1");

    [Fact]
    public async Task AddKubernetes_Default_RegistersTheBaselineControllerOverTheWorkloadController()
    {
        await using var provider = Build();

        provider.GetRequiredService<IBaselineController>().Should().BeOfType<KubernetesBaselineController>()
            .And.BeSameAs(provider.GetRequiredService<KubernetesBaselineController>());
    }

    [Fact]
    public async Task AddKubernetes_EngineDefaultsToLabelRatio_BaselineAcceptsSpecsWithoutProvider()
    {
        await using var cluster = await FakeCluster.StartAsync();
        cluster.Seed(TestObjects.Deployment());
        var services = new ServiceCollection();
        services.AddCanary(o => o.DefaultProvider = TrafficProviders.LabelRatio).AddKubernetes(o => o.Configuration = cluster.Configuration);
        await using var provider = services.BuildServiceProvider();
        var canary = TestObjects.Canary(a => a with { Baseline = true });
        await provider.GetRequiredService<KubernetesWorkloadController>().InitializeAsync(canary, default);

        await provider.GetRequiredService<IBaselineController>().ScaleUpBaselineAsync(canary, default);

        cluster.Deployment("podinfo-baseline").Should().NotBeNull();
    }

    [Fact]
    public async Task AddKubernetes_Default_RegistersTheKubernetesSecretResolver()
    {
        await using var provider = Build(o => o.SecretCacheDuration = TimeSpan.FromSeconds(5));

        provider.GetRequiredService<IMetricSecretResolver>().Should().BeOfType<KubernetesSecretResolver>()
            .Which.CacheDuration.Should().Be(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task AddKubernetes_ResolverRegisteredBefore_KeepsIt()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IMetricSecretResolver, HostResolver>();
        services.AddCanary().AddKubernetes(o => o.Configuration = new() { Host = Host });
        await using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<IMetricSecretResolver>().Should().BeOfType<HostResolver>();
    }

    [Fact]
    public async Task AddKubernetes_NegativeSecretCacheDuration_FailsValidationNamingIt()
    {
        await using var provider = Build(o => o.SecretCacheDuration = TimeSpan.FromSeconds(-1));

        var act = () => provider.GetRequiredService<IOptions<KubernetesOptions>>().Value;

        act.Should().Throw<OptionsValidationException>().Which.Failures.Should().Equal("SecretCacheDuration: must not be negative");
    }

    private static ServiceProvider Build(Action<KubernetesOptions>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddCanary().AddKubernetes(o =>
        {
            o.Configuration = new() { Host = Host };
            configure?.Invoke(o);
        });
        return services.BuildServiceProvider();
    }

    private sealed class HostResolver : IMetricSecretResolver
    {
        public ValueTask<IReadOnlyDictionary<string, string>?> GetSecretAsync(string secretNamespace, string name, CancellationToken cancellationToken) =>
            ValueTask.FromResult<IReadOnlyDictionary<string, string>?>(null);
    }
}
