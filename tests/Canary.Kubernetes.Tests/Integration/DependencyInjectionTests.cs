using Canary.Kubernetes.Client;
using Canary.Kubernetes.DependencyInjection;
using Canary.Kubernetes.Leadership;
using Canary.Kubernetes.State;
using Canary.Kubernetes.Tests.TestSupport;
using Canary.Kubernetes.Workloads;
using Canary.State;
using Canary.Workloads;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Canary.Kubernetes.Tests.Integration;

public sealed class DependencyInjectionTests
{
    [Fact]
    public async Task AddKubernetes_GivenConfiguration_RegistersTheKubernetesAdapters()
    {
        await using var provider = Build(o => o.Configuration = new() { Host = new Uri("http://127.0.0.1:1") });

        provider.GetRequiredService<IWorkloadController>().Should().BeOfType<KubernetesWorkloadController>();
        provider.GetRequiredService<ICanaryStatusStore>().Should().BeOfType<KubernetesCanaryStatusStore>();
        provider.GetRequiredService<IKubernetesApi>().Should().BeOfType<KubernetesApiClient>()
            .Which.Configuration.Host.Should().Be(new Uri("http://127.0.0.1:1"));
        provider.GetRequiredService<LeaderElectedCanaryRunner>().Elector.Should().BeSameAs(provider.GetRequiredService<LeaseLeaderElector>());
    }

    [Fact]
    public async Task AddKubernetes_KubeconfigPath_ConnectsToItsCurrentContext()
    {
        await using var cluster = await FakeCluster.StartAsync();
        var path = Path.Combine(Path.GetTempPath(), $"canary-kubeconfig-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(path, cluster.Server.CreateKubeconfig(FakeCluster.Namespace));
        try
        {
            await using var provider = Build(o => o.KubeConfigPath = path);

            var api = provider.GetRequiredService<IKubernetesApi>();

            (await api.TryGetAsync(ResourceType.Namespaces, null, FakeCluster.Namespace)).Should().NotBeNull();
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task AddKubernetes_StatusStoreOff_KeepsStatusesInMemory()
    {
        await using var provider = Build(o =>
        {
            o.Configuration = new() { Host = new Uri("http://127.0.0.1:1") };
            o.UseStatusStore = false;
        });

        provider.GetRequiredService<ICanaryStatusStore>().Should().BeOfType<InMemoryCanaryStatusStore>();
    }

    [Fact]
    public async Task AddKubernetes_InvalidOptions_FailValidationNamingEachField()
    {
        await using var provider = Build(o =>
        {
            o.CanaryGroup = " ";
            o.LeaderElection.RenewDeadline = TimeSpan.FromMinutes(1);
            o.Workloads.SelectorLabels = [];
        });

        var act = () => provider.GetRequiredService<IOptions<KubernetesOptions>>().Value;

        act.Should().Throw<OptionsValidationException>().Which.Failures.Should().BeEquivalentTo(
            "Workloads.SelectorLabels: must name at least one label, and no empty ones",
            "LeaderElection.RenewDeadline: must be shorter than LeaseDuration",
            "CanaryGroup: must be an API group such as canary.dev");
    }

    [Fact]
    public async Task AddKubernetes_FlaggerGroup_StoresStatusesInFlaggersCanaries()
    {
        await using var cluster = await FakeCluster.StartAsync();
        cluster.Seed(TestObjects.CanaryObject("flagger.app/v1beta1"));
        await using var provider = Build(o =>
        {
            o.Configuration = cluster.Configuration;
            o.CanaryGroup = CanaryResourceTypes.FlaggerGroup;
            o.CanaryVersion = CanaryResourceTypes.FlaggerVersion;
        });

        await provider.GetRequiredService<ICanaryStatusStore>().SaveAsync(new(TestObjects.Name, FakeCluster.Namespace), new() { Phase = Model.CanaryPhase.Initialized }, null, default);

        cluster.Get("flagger.app/v1beta1", "Canary", TestObjects.Name)!["status"]!["phase"]!.GetValue<string>().Should().Be("Initialized");
    }

    private static ServiceProvider Build(Action<KubernetesOptions> configure)
    {
        var services = new ServiceCollection();
        services.AddCanary().AddKubernetes(configure);
        return services.BuildServiceProvider();
    }
}
