using Canary.Analysis;
using Canary.Metrics.Graphite;
using Canary.Metrics.Http;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Graphite metric provider.</summary>
public static class GraphiteServiceCollectionExtensions
{
    /// <summary>
    /// Adds the Graphite metric provider as an <see cref="IMetricProvider"/>, with its options (validated when the host
    /// starts) and its named <see cref="HttpClient"/>s (<see cref="GraphiteMetricProvider.HttpClientName"/>, and
    /// <see cref="GraphiteMetricProvider.InsecureHttpClientName"/> for <c>insecureSkipVerify</c>). Templates that name
    /// a <c>provider.secretRef</c> read it through the registered <see cref="IMetricSecretResolver"/>.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the options, at least <see cref="GraphiteOptions.Address"/>.</param>
    /// <returns>The services, for chaining.</returns>
    public static IServiceCollection AddCanaryGraphite(this IServiceCollection services, Action<GraphiteOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);

        services.AddOptions<GraphiteOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<GraphiteOptions>, GraphiteOptionsValidator>());
        AddClient(services, GraphiteMetricProvider.HttpClientName, insecureSkipVerify: false);
        AddClient(services, GraphiteMetricProvider.InsecureHttpClientName, insecureSkipVerify: true);

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IMetricProvider, GraphiteMetricProvider>(static provider => new GraphiteMetricProvider(
            provider.GetRequiredService<IHttpClientFactory>(),
            provider.GetRequiredService<IOptions<GraphiteOptions>>(),
            provider.GetRequiredService<ILogger<GraphiteMetricProvider>>(),
            provider.GetService<IMetricSecretResolver>(),
            provider.GetService<TimeProvider>())));
        return services;
    }

    private static void AddClient(IServiceCollection services, string name, bool insecureSkipVerify) =>
        services.AddHttpClient(name)
            // The provider enforces GraphiteOptions.QueryTimeout itself, with its own clock and message.
            .ConfigureHttpClient(static client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => MetricHttpHandler.Create(insecureSkipVerify));
}
