using Canary.Analysis;
using Canary.Engine;
using Canary.Events;
using Canary.Gates;
using Canary.Notifications;
using Canary.Resilience;
using Canary.Routing;
using Canary.State;
using Canary.Workloads;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers Canary's engine.</summary>
public static class CanaryServiceCollectionExtensions
{
    /// <summary>
    /// Registers the <see cref="CanaryEngine"/>, its <see cref="CanaryRunner"/>, <see cref="CanaryCommands"/> and
    /// <see cref="CanaryEventFeed"/>, with in-memory status and template stores and an HTTP webhook client unless
    /// others are registered. Add a workload controller, traffic routers and metric providers through the builder.
    /// Options are validated when the host starts.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Configures the engine's options, or <see langword="null"/>.</param>
    /// <returns>A builder for the adapters.</returns>
    public static ICanaryBuilder AddCanary(this IServiceCollection services, Action<CanaryEngineOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<CanaryEngineOptions>().ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.AddOptions<CanaryResilienceOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CanaryEngineOptions>, CanaryEngineOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CanaryResilienceOptions>, CanaryResilienceOptionsValidator>());

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ICanaryStatusStore, InMemoryCanaryStatusStore>();
        services.TryAddSingleton<IMetricTemplateStore, InMemoryMetricTemplateStore>();
        services.TryAddSingleton<IWebhookClient>(static sp =>
            new HttpWebhookClient(
                new HttpClient { Timeout = Timeout.InfiniteTimeSpan },
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<IOptions<HttpWebhookClientOptions>>().Value));
        services.TryAddSingleton<CanaryEventFeed>();
        services.TryAddSingleton<CanaryResiliencePipelines>();
        services.TryAddSingleton(static sp => new CanaryPorts
        {
            Routers = sp.GetServices<ITrafficRouter>(),
            Workloads = sp.GetService<IWorkloadController>()
                ?? throw new InvalidOperationException("No IWorkloadController is registered: add one with the Canary builder's AddWorkloadController<T>() or a Kubernetes package."),
            StatusStore = sp.GetRequiredService<ICanaryStatusStore>(),
            MetricProviders = sp.GetServices<IMetricProvider>(),
            MetricTemplates = sp.GetRequiredService<IMetricTemplateStore>(),
            TrafficSamples = sp.GetService<ITrafficSampleProvider>(),
            Baselines = sp.GetService<IBaselineController>(),
            Webhooks = sp.GetService<ITestGate>() is { } tests
                ? new TestGateWebhookClient(sp.GetRequiredService<IWebhookClient>(), tests)
                : sp.GetRequiredService<IWebhookClient>(),
            ApprovalGate = sp.GetService<IApprovalGate>(),
            Notifiers = sp.GetServices<INotifier>(),
            MeterFactory = sp.GetService<System.Diagnostics.Metrics.IMeterFactory>(),
        });
        services.TryAddSingleton(static sp => new CanaryEngine(
            sp.GetRequiredService<CanaryPorts>(),
            sp.GetRequiredService<CanaryEventFeed>(),
            sp.GetRequiredService<IOptions<CanaryEngineOptions>>(),
            sp.GetRequiredService<CanaryResiliencePipelines>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<ILoggerFactory>()));
        services.TryAddSingleton(static sp => new CanaryRunner(
            sp.GetRequiredService<CanaryEngine>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<ILogger<CanaryRunner>>()));
        services.TryAddSingleton<CanaryCommands>();
        return new CanaryBuilder(services);
    }
}
