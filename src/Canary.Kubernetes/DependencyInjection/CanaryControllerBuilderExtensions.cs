using Canary.Analysis;
using Canary.Engine;
using Canary.Kubernetes.Client;
using Canary.Kubernetes.Controller;
using Canary.Kubernetes.DependencyInjection;
using Canary.Kubernetes.Leadership;
using Canary.Kubernetes.State;
using Canary.Kubernetes.Workloads;
using Canary.Notifications;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the canary controller, which runs every Canary object of the cluster, to Canary's engine.</summary>
public static class CanaryControllerBuilderExtensions
{
    /// <summary>
    /// Adds the <see cref="CanaryController"/>, makes the engine read <c>MetricTemplate</c> objects from the cluster
    /// (<see cref="KubernetesMetricTemplateStore"/>) and, unless <see cref="CanaryControllerOptions.RecordEvents"/> is off, record its
    /// events as Kubernetes Events on the Canary objects (<see cref="KubernetesEventRecorder"/>). Call it after <c>AddKubernetes</c>, whose connection, Canary group and
    /// version, status store and leader election it uses. Options are validated when the host starts; run the controller with
    /// <see cref="CanaryController.RunAsync"/>.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Configures which canaries run, or <see langword="null"/> for every canary in every namespace.</param>
    /// <returns>The value of <paramref name="builder"/>.</returns>
    public static ICanaryBuilder AddCanaryController(this ICanaryBuilder builder, Action<CanaryControllerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        var options = services.AddOptions<CanaryControllerOptions>().ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CanaryControllerOptions>, CanaryControllerOptionsValidator>());
        services.Replace(ServiceDescriptor.Singleton<IMetricTemplateStore>(static sp =>
        {
            var kubernetes = sp.GetRequiredService<IOptions<KubernetesOptions>>().Value;
            return new KubernetesMetricTemplateStore(
                sp.GetRequiredService<IKubernetesApi>(),
                sp.GetRequiredService<KubernetesObjectCache>(),
                CanaryResourceTypes.MetricTemplate(kubernetes.CanaryGroup, kubernetes.CanaryVersion),
                sp.GetService<ILogger<KubernetesMetricTemplateStore>>());
        }));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<INotifier, ControllerEventRecorder>(static sp =>
        {
            var controller = sp.GetRequiredService<IOptions<CanaryControllerOptions>>().Value;
            var kubernetes = sp.GetRequiredService<IOptions<KubernetesOptions>>().Value;
            return new ControllerEventRecorder(controller.RecordEvents
                ? new KubernetesEventRecorder(
                    sp.GetRequiredService<IKubernetesApi>(),
                    sp.GetRequiredService<KubernetesObjectCache>(),
                    kubernetes.CanaryResource(),
                    controller.Component,
                    kubernetes.LeaderElection.Identity,
                    sp.GetRequiredService<TimeProvider>())
                : null);
        }));
        services.TryAddSingleton(static sp =>
        {
            var controller = sp.GetRequiredService<IOptions<CanaryControllerOptions>>().Value;
            controller.CanaryResource = sp.GetRequiredService<IOptions<KubernetesOptions>>().Value.CanaryResource();
            return new CanaryController(
                sp.GetRequiredService<CanaryEngine>(),
                sp.GetRequiredService<IKubernetesApi>(),
                sp.GetRequiredService<LeaseLeaderElector>(),
                controller,
                sp.GetRequiredService<TimeProvider>(),
                sp.GetService<ILoggerFactory>());
        });
        return builder;
    }
}
