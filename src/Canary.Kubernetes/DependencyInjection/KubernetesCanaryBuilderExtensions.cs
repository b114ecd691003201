using Canary.Analysis;
using Canary.Engine;
using Canary.Kubernetes.Client;
using Canary.Kubernetes.Configuration;
using Canary.Kubernetes.DependencyInjection;
using Canary.Kubernetes.Leadership;
using Canary.Kubernetes.Routing.LabelRatio;
using Canary.Kubernetes.Secrets;
using Canary.Kubernetes.State;
using Canary.Kubernetes.Workloads;
using Canary.Model;
using Canary.State;
using Canary.Workloads;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the Kubernetes adapters to Canary's engine.</summary>
public static class KubernetesCanaryBuilderExtensions
{
    /// <summary>
    /// Connects to a cluster and adds the Kubernetes adapters: <see cref="IKubernetesApi"/> (<see cref="KubernetesApiClient"/>),
    /// a shared <see cref="KubernetesObjectCache"/>, the <see cref="KubernetesWorkloadController"/> as the workload controller, the
    /// <see cref="KubernetesBaselineController"/> as the baseline controller (<c>analysis.baseline</c>, with the label-ratio router), the
    /// <see cref="KubernetesCanaryStatusStore"/> as the status store (unless <see cref="KubernetesOptions.UseStatusStore"/> is off),
    /// a <see cref="LeaseLeaderElector"/> with its <see cref="LeaderElectedCanaryRunner"/>, and a <see cref="KubernetesSecretResolver"/> as the
    /// <see cref="IMetricSecretResolver"/> unless one is registered already. The connection is made when the first of them is
    /// resolved; options are validated when the host starts.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Configures the connection and the adapters, or <see langword="null"/> for the defaults.</param>
    /// <returns>The value of <paramref name="builder"/>.</returns>
    public static ICanaryBuilder AddKubernetes(this ICanaryBuilder builder, Action<KubernetesOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        var options = services.AddOptions<KubernetesOptions>().ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<KubernetesOptions>, KubernetesOptionsValidator>());
        services.TryAddSingleton(static sp =>
        {
            var o = Options(sp);
            return o.Configuration
                ?? (o.KubeConfigPath is { } path ? KubernetesClientConfiguration.FromKubeConfigFile(path, o.Context) : KubernetesClientConfiguration.BuildDefault(o.Context));
        });
        services.TryAddSingleton<IKubernetesApi>(static sp =>
        {
            var client = Options(sp).Client;
            client.LoggerFactory ??= sp.GetService<ILoggerFactory>();
            return new KubernetesApiClient(sp.GetRequiredService<KubernetesClientConfiguration>(), client);
        });
        services.TryAddSingleton(static sp =>
        {
            var cache = Options(sp).Cache;
            cache.LoggerFactory ??= sp.GetService<ILoggerFactory>();
            return new KubernetesObjectCache(sp.GetRequiredService<IKubernetesApi>(), cache);
        });
        services.TryAddSingleton(static sp =>
        {
            var o = Options(sp);
            o.Workloads.FieldManager = o.FieldManager;
            o.Workloads.CanaryResource = o.CanaryResource();
            return new KubernetesWorkloadController(
                sp.GetRequiredService<IKubernetesApi>(),
                sp.GetRequiredService<KubernetesObjectCache>(),
                o.Workloads,
                sp.GetRequiredService<TimeProvider>(),
                sp.GetService<ILogger<KubernetesWorkloadController>>());
        });
        services.Replace(ServiceDescriptor.Singleton<IWorkloadController>(static sp => sp.GetRequiredService<KubernetesWorkloadController>()));
        services.TryAddSingleton(static sp => new KubernetesBaselineController(
            sp.GetRequiredService<KubernetesWorkloadController>(),
            new KubernetesBaselineOptions
            {
                TrafficLabel = sp.GetService<IOptions<LabelRatioRouterOptions>>()?.Value.TrafficLabel ?? LabelRatioRouterOptions.DefaultTrafficLabel,
                DefaultProvider = sp.GetService<IOptions<CanaryEngineOptions>>()?.Value.DefaultProvider ?? TrafficProviders.Kubernetes,
            }));
        services.Replace(ServiceDescriptor.Singleton<IBaselineController>(static sp => sp.GetRequiredService<KubernetesBaselineController>()));
        services.Replace(ServiceDescriptor.Singleton<ICanaryStatusStore>(static sp =>
        {
            var o = Options(sp);
            return o.UseStatusStore
                ? new KubernetesCanaryStatusStore(
                    sp.GetRequiredService<IKubernetesApi>(),
                    sp.GetRequiredService<KubernetesObjectCache>(),
                    new KubernetesCanaryStatusStoreOptions { CanaryResource = o.CanaryResource(), FieldManager = o.FieldManager })
                : new InMemoryCanaryStatusStore();
        }));
        services.TryAddSingleton<IMetricSecretResolver>(static sp => new KubernetesSecretResolver(
            sp.GetRequiredService<IKubernetesApi>(),
            Options(sp).SecretCacheDuration,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<ILogger<KubernetesSecretResolver>>()));
        services.TryAddSingleton(static sp => new LeaseLeaderElector(
            sp.GetRequiredService<IKubernetesApi>(),
            Options(sp).LeaderElection,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<ILogger<LeaseLeaderElector>>()));
        services.TryAddSingleton(static sp => new LeaderElectedCanaryRunner(
            sp.GetRequiredService<Canary.Engine.CanaryEngine>(),
            sp.GetRequiredService<LeaseLeaderElector>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<ILogger<LeaderElectedCanaryRunner>>()));
        return builder;
    }

    private static KubernetesOptions Options(IServiceProvider services) => services.GetRequiredService<IOptions<KubernetesOptions>>().Value;
}
