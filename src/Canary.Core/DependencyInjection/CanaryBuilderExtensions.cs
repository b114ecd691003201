using Canary.Analysis;
using Canary.Gates;
using Canary.Model;
using Canary.Notifications;
using Canary.Resilience;
using Canary.Routing;
using Canary.State;
using Canary.Workloads;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds adapters to Canary's engine.</summary>
public static class CanaryBuilderExtensions
{
    /// <summary>Adds a traffic router; the engine picks it for canaries whose provider is its <see cref="ITrafficRouter.Provider"/>.</summary>
    /// <typeparam name="TRouter">The router type.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The value of <paramref name="builder"/>.</returns>
    public static ICanaryBuilder AddTrafficRouter<TRouter>(this ICanaryBuilder builder)
        where TRouter : class, ITrafficRouter
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<ITrafficRouter, TRouter>());
        return builder;
    }

    /// <summary>Adds a metric provider; the engine picks it for metrics whose provider type is its <see cref="IMetricProvider.Name"/>.</summary>
    /// <typeparam name="TProvider">The provider type.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The value of <paramref name="builder"/>.</returns>
    public static ICanaryBuilder AddMetricProvider<TProvider>(this ICanaryBuilder builder)
        where TProvider : class, IMetricProvider
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IMetricProvider, TProvider>());
        return builder;
    }

    /// <summary>Sets the workload controller, replacing any registered before.</summary>
    /// <typeparam name="TController">The controller type.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The value of <paramref name="builder"/>.</returns>
    public static ICanaryBuilder AddWorkloadController<TController>(this ICanaryBuilder builder)
        where TController : class, IWorkloadController
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.Replace(ServiceDescriptor.Singleton<IWorkloadController, TController>());
        return builder;
    }

    /// <summary>Sets what counts the workloads' requests for the sequential judge (<c>analysis.judge</c>), replacing any registered before.</summary>
    /// <typeparam name="TProvider">The provider type.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The value of <paramref name="builder"/>.</returns>
    public static ICanaryBuilder AddTrafficSampleProvider<TProvider>(this ICanaryBuilder builder)
        where TProvider : class, ITrafficSampleProvider
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.Replace(ServiceDescriptor.Singleton<ITrafficSampleProvider, TProvider>());
        return builder;
    }

    /// <summary>Sets what runs the baseline workloads of <c>analysis.baseline</c>, replacing any registered before.</summary>
    /// <typeparam name="TController">The controller type.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The value of <paramref name="builder"/>.</returns>
    public static ICanaryBuilder AddBaselineController<TController>(this ICanaryBuilder builder)
        where TController : class, IBaselineController
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.Replace(ServiceDescriptor.Singleton<IBaselineController, TController>());
        return builder;
    }

    /// <summary>Sets the status store, replacing the in-memory default.</summary>
    /// <typeparam name="TStore">The store type.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The value of <paramref name="builder"/>.</returns>
    public static ICanaryBuilder AddStatusStore<TStore>(this ICanaryBuilder builder)
        where TStore : class, ICanaryStatusStore
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.Replace(ServiceDescriptor.Singleton<ICanaryStatusStore, TStore>());
        return builder;
    }

    /// <summary>Sets the webhook client, replacing the HTTP default.</summary>
    /// <typeparam name="TClient">The client type.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The value of <paramref name="builder"/>.</returns>
    public static ICanaryBuilder AddWebhookClient<TClient>(this ICanaryBuilder builder)
        where TClient : class, IWebhookClient
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.Replace(ServiceDescriptor.Singleton<IWebhookClient, TClient>());
        return builder;
    }

    /// <summary>Adds a notifier that receives every event.</summary>
    /// <typeparam name="TNotifier">The notifier type.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The value of <paramref name="builder"/>.</returns>
    public static ICanaryBuilder AddNotifier<TNotifier>(this ICanaryBuilder builder)
        where TNotifier : class, INotifier
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<INotifier, TNotifier>());
        return builder;
    }

    /// <summary>Adds metric templates to the in-memory template store; repeated calls add up.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="templates">The templates.</param>
    /// <returns>The value of <paramref name="builder"/>.</returns>
    public static ICanaryBuilder AddMetricTemplates(this ICanaryBuilder builder, IEnumerable<MetricTemplate> templates)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(templates);
        var store = builder.Services
            .Where(d => d.ServiceType == typeof(IMetricTemplateStore))
            .Select(d => d.ImplementationInstance)
            .OfType<InMemoryMetricTemplateStore>()
            .LastOrDefault();
        if (store is null)
        {
            store = new InMemoryMetricTemplateStore();
            builder.Services.Replace(ServiceDescriptor.Singleton<IMetricTemplateStore>(store));
        }

        foreach (var template in templates)
        {
            store.Set(template);
        }

        return builder;
    }

    /// <summary>Configures how port calls are timed out, retried and broken.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Configures the options.</param>
    /// <returns>The value of <paramref name="builder"/>.</returns>
    public static ICanaryBuilder ConfigureResilience(this ICanaryBuilder builder, Action<CanaryResilienceOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.Configure(configure);
        return builder;
    }
}
