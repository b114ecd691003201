using Canary.Analysis;
using Canary.Metrics.Datadog;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Datadog metric provider.</summary>
public static class DatadogServiceCollectionExtensions
{
    /// <summary>
    /// Adds the Datadog metric provider as an <see cref="IMetricProvider"/>, with its options (validated when the host
    /// starts) and its named <see cref="HttpClient"/> (<see cref="DatadogMetricProvider.HttpClientName"/>). Templates
    /// that name a <c>provider.secretRef</c> read it through the registered <see cref="IMetricSecretResolver"/>.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the options: the keys, unless every template names a secret, and the site.</param>
    /// <returns>The services, for chaining.</returns>
    public static IServiceCollection AddCanaryDatadog(this IServiceCollection services, Action<DatadogOptions> configure)
    {
        return HttpMetricProviderRegistration.Add<DatadogOptions, DatadogOptionsValidator, DatadogMetricProvider>(
            services,
            configure,
            static provider => new DatadogMetricProvider(
                provider.GetRequiredService<IHttpClientFactory>(),
                provider.GetRequiredService<IOptions<DatadogOptions>>(),
                provider.GetRequiredService<ILogger<DatadogMetricProvider>>(),
                provider.GetService<IMetricSecretResolver>(),
                provider.GetService<TimeProvider>()),
            DatadogMetricProvider.HttpClientName);
    }
}
