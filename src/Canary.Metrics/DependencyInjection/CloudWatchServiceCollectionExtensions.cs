using Canary.Analysis;
using Canary.Metrics.CloudWatch;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the CloudWatch metric provider.</summary>
public static class CloudWatchServiceCollectionExtensions
{
    /// <summary>
    /// Adds the CloudWatch metric provider as an <see cref="IMetricProvider"/>, with its options (validated when the host
    /// starts) and its named <see cref="HttpClient"/> (<see cref="CloudWatchMetricProvider.HttpClientName"/>). Templates
    /// that name a <c>provider.secretRef</c> read it through the registered <see cref="IMetricSecretResolver"/>.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the options: the region and the credentials, unless every template sets its own.</param>
    /// <returns>The services, for chaining.</returns>
    public static IServiceCollection AddCanaryCloudWatch(this IServiceCollection services, Action<CloudWatchOptions> configure)
    {
        return HttpMetricProviderRegistration.Add<CloudWatchOptions, CloudWatchOptionsValidator, CloudWatchMetricProvider>(
            services,
            configure,
            static provider => new CloudWatchMetricProvider(
                provider.GetRequiredService<IHttpClientFactory>(),
                provider.GetRequiredService<IOptions<CloudWatchOptions>>(),
                provider.GetRequiredService<ILogger<CloudWatchMetricProvider>>(),
                provider.GetService<IMetricSecretResolver>(),
                provider.GetService<TimeProvider>()),
            CloudWatchMetricProvider.HttpClientName);
    }
}
