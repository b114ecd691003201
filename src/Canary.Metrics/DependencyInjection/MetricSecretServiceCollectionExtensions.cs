using Canary.Analysis;
using Canary.Metrics.Secrets;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers where the metric providers read the secrets that templates name with <c>provider.secretRef</c>.</summary>
public static class MetricSecretServiceCollectionExtensions
{
    /// <summary>
    /// Registers an <see cref="InMemoryMetricSecretResolver"/> as the <see cref="IMetricSecretResolver"/> and lets the
    /// caller fill it; a second call fills the same resolver.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Adds the secrets, for example <c>s.Set("test", "datadog", values)</c>.</param>
    /// <returns>The services, for chaining.</returns>
    /// <exception cref="InvalidOperationException">Another kind of <see cref="IMetricSecretResolver"/> is registered already.</exception>
    public static IServiceCollection AddCanaryMetricSecrets(this IServiceCollection services, Action<InMemoryMetricSecretResolver> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);

        var registered = services.LastOrDefault(d => d.ServiceType == typeof(IMetricSecretResolver));
        if (registered is null)
        {
            var resolver = new InMemoryMetricSecretResolver();
            configure(resolver);
            services.AddSingleton<IMetricSecretResolver>(resolver);
            return services;
        }

        if (registered.IsKeyedService || registered.ImplementationInstance is not InMemoryMetricSecretResolver existing)
        {
            throw new InvalidOperationException(
                "Another IMetricSecretResolver is registered already; the in-memory secrets of AddCanaryMetricSecrets would not be read.");
        }

        configure(existing);
        return services;
    }
}
