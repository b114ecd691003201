using Canary.Analysis;
using Canary.Metrics.Graphite;
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
        return HttpMetricProviderRegistration.Add<GraphiteOptions, GraphiteOptionsValidator, GraphiteMetricProvider>(
            services,
            configure,
            static provider => new GraphiteMetricProvider(
                provider.GetRequiredService<IHttpClientFactory>(),
                provider.GetRequiredService<IOptions<GraphiteOptions>>(),
                provider.GetRequiredService<ILogger<GraphiteMetricProvider>>(),
                provider.GetService<IMetricSecretResolver>(),
                provider.GetService<TimeProvider>()),
            GraphiteMetricProvider.HttpClientName,
            GraphiteMetricProvider.InsecureHttpClientName);
    }
}
