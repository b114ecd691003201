using Canary.Analysis;
using Canary.Metrics.NewRelic;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the New Relic metric provider.</summary>
public static class NewRelicServiceCollectionExtensions
{
    /// <summary>
    /// Adds the New Relic metric provider as an <see cref="IMetricProvider"/>, with its options (validated when the host
    /// starts) and its named <see cref="HttpClient"/> (<see cref="NewRelicMetricProvider.HttpClientName"/>). Templates
    /// that name a <c>provider.secretRef</c> read it through the registered <see cref="IMetricSecretResolver"/>.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the options: the account and query key, unless every template names a secret, and the region's address.</param>
    /// <returns>The services, for chaining.</returns>
    public static IServiceCollection AddCanaryNewRelic(this IServiceCollection services, Action<NewRelicOptions> configure)
    {
        return HttpMetricProviderRegistration.Add<NewRelicOptions, NewRelicOptionsValidator, NewRelicMetricProvider>(
            services,
            configure,
            static provider => new NewRelicMetricProvider(
                provider.GetRequiredService<IHttpClientFactory>(),
                provider.GetRequiredService<IOptions<NewRelicOptions>>(),
                provider.GetRequiredService<ILogger<NewRelicMetricProvider>>(),
                provider.GetService<IMetricSecretResolver>(),
                provider.GetService<TimeProvider>()),
            NewRelicMetricProvider.HttpClientName);
    }
}
