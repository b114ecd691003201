using Canary.Analysis;
using Canary.Metrics.Prometheus;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Prometheus metric provider and traffic-sample provider.</summary>
public static class PrometheusServiceCollectionExtensions
{
    /// <summary>
    /// Adds the Prometheus metric provider as an <see cref="IMetricProvider"/>, with its options (validated when the
    /// host starts) and its named <see cref="HttpClient"/> (<see cref="PrometheusMetricProvider.HttpClientName"/>),
    /// which a host may decorate further with <c>AddHttpClient(name)</c>.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the options, at least <see cref="PrometheusOptions.Address"/>.</param>
    /// <returns>The services, for chaining.</returns>
    public static IServiceCollection AddCanaryPrometheus(this IServiceCollection services, Action<PrometheusOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);

        AddServer(services, configure);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IMetricProvider, PrometheusMetricProvider>(static provider => new PrometheusMetricProvider(
            provider.GetRequiredService<IHttpClientFactory>(),
            provider.GetRequiredService<IOptions<PrometheusOptions>>(),
            provider.GetRequiredService<ILogger<PrometheusMetricProvider>>(),
            provider.GetService<TimeProvider>())));
        return services;
    }

    /// <summary>
    /// Adds the Prometheus traffic-sample provider as the <see cref="ITrafficSampleProvider"/> (replacing any registered before), which
    /// counts the workloads' requests for the statistical judge from the same server and series as the builtin metrics.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">
    /// Sets the options, or <see langword="null"/> to use those of <see cref="AddCanaryPrometheus"/>, called before or after.
    /// </param>
    /// <returns>The services, for chaining.</returns>
    public static IServiceCollection AddCanaryPrometheusTrafficSamples(this IServiceCollection services, Action<PrometheusOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        AddServer(services, configure);
        services.Replace(ServiceDescriptor.Singleton<ITrafficSampleProvider>(static provider => new PrometheusTrafficSampleProvider(
            provider.GetRequiredService<IHttpClientFactory>(),
            provider.GetRequiredService<IOptions<PrometheusOptions>>(),
            provider.GetRequiredService<ILogger<PrometheusTrafficSampleProvider>>(),
            provider.GetService<TimeProvider>())));
        return services;
    }

    /// <summary>Adds the options (validated when the host starts) and the named clients, once however many providers share them.</summary>
    private static void AddServer(IServiceCollection services, Action<PrometheusOptions>? configure)
    {
        var options = services.AddOptions<PrometheusOptions>().ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        var validator = ServiceDescriptor.Singleton<IValidateOptions<PrometheusOptions>, PrometheusOptionsValidator>();
        if (services.Any(d => d.ServiceType == validator.ServiceType && d.ImplementationType == validator.ImplementationType))
        {
            return;
        }

        services.TryAddEnumerable(validator);
        AddClient(services, PrometheusMetricProvider.HttpClientName, insecureSkipVerify: false);
        AddClient(services, PrometheusMetricProvider.InsecureHttpClientName, insecureSkipVerify: true);
    }

    private static void AddClient(IServiceCollection services, string name, bool insecureSkipVerify) =>
        services.AddHttpClient(name)
            // The provider enforces PrometheusOptions.QueryTimeout itself, with its own clock and message.
            .ConfigureHttpClient(static client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(provider => PrometheusHttpHandlerFactory.Create(
                provider.GetRequiredService<IOptions<PrometheusOptions>>().Value,
                insecureSkipVerify));
}
