using Canary.Analysis;
using Canary.Metrics.Prometheus;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Prometheus metric provider.</summary>
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

        services.AddOptions<PrometheusOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PrometheusOptions>, PrometheusOptionsValidator>());

        AddClient(services, PrometheusMetricProvider.HttpClientName, insecureSkipVerify: false);
        AddClient(services, PrometheusMetricProvider.InsecureHttpClientName, insecureSkipVerify: true);

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IMetricProvider, PrometheusMetricProvider>(static provider => new PrometheusMetricProvider(
            provider.GetRequiredService<IHttpClientFactory>(),
            provider.GetRequiredService<IOptions<PrometheusOptions>>(),
            provider.GetRequiredService<ILogger<PrometheusMetricProvider>>(),
            provider.GetService<TimeProvider>())));
        return services;
    }

    private static void AddClient(IServiceCollection services, string name, bool insecureSkipVerify) =>
        services.AddHttpClient(name)
            // The provider enforces PrometheusOptions.QueryTimeout itself, with its own clock and message.
            .ConfigureHttpClient(static client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(provider => PrometheusHttpHandlerFactory.Create(
                provider.GetRequiredService<IOptions<PrometheusOptions>>().Value,
                insecureSkipVerify));
}
