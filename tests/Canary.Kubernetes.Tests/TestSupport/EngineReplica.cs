using Canary.Analysis;
using Canary.Engine;
using Canary.Events;
using Canary.Kubernetes.Client;
using Canary.Kubernetes.DependencyInjection;
using Canary.Kubernetes.Leadership;
using Canary.Kubernetes.Workloads;
using Canary.Model;
using Canary.Notifications;
using Canary.Routing;
using Canary.Testing.Simulation;
using Microsoft.Extensions.DependencyInjection;

namespace Canary.Kubernetes.Tests.TestSupport;

/// <summary>
/// One engine replica composed as a host would (<c>AddCanary().AddKubernetes()</c>) against the fake cluster, with its own client,
/// cache and identity (user agent and field manager), the ConfigMap test router and a fixed metric value.
/// </summary>
internal sealed class EngineReplica : IAsyncDisposable
{
    private EngineReplica(ServiceProvider services, RecordingNotifier events, string identity)
    {
        Services = services;
        Recorder = events;
        Identity = identity;
    }

    public ServiceProvider Services { get; }

    public string Identity { get; }

    public CanaryEngine Engine => Services.GetRequiredService<CanaryEngine>();

    public KubernetesObjectCache Cache => Services.GetRequiredService<KubernetesObjectCache>();

    public IKubernetesApi Api => Services.GetRequiredService<IKubernetesApi>();

    public LeaderElectedCanaryRunner Runner => Services.GetRequiredService<LeaderElectedCanaryRunner>();

    public IReadOnlyList<CanaryEvent> Events => Recorder.Events.ToList();

    private RecordingNotifier Recorder { get; }

    public static EngineReplica Create(FakeCluster cluster, TimeProvider clock, string identity = "canary-test", IMetricProvider? metrics = null, Action<KubernetesOptions>? configure = null)
    {
        var services = new ServiceCollection();
        var recorder = new RecordingNotifier();
        services.AddSingleton(clock);
        services.AddSingleton<INotifier>(recorder);
        services.AddSingleton(metrics ?? new FixedMetricProvider(100));
        services.AddSingleton<ITrafficRouter>(sp => new ConfigMapTrafficRouter(sp.GetRequiredService<IKubernetesApi>(), identity));
        services.AddCanary().AddKubernetes(o =>
        {
            o.Configuration = cluster.Configuration;
            o.Client = FakeCluster.ClientOptions(identity);
            o.FieldManager = identity;
            o.LeaderElection.Identity = identity;
            o.LeaderElection.LeaseNamespace = FakeCluster.Namespace;
            configure?.Invoke(o);
        });
        return new EngineReplica(services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true }), recorder, identity);
    }

    public Task<CanaryStatus> StepAsync(CanaryResource canary) => Engine.ReconcileAsync(canary).AsTask();

    public ValueTask DisposeAsync() => Services.DisposeAsync();
}
