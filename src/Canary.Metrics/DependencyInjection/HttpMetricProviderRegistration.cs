using Canary.Analysis;
using Canary.Metrics.Http;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>What every HTTP metric provider registers: its options, validated at start, its named clients and the provider.</summary>
internal static class HttpMetricProviderRegistration
{
    /// <summary>Registers a provider once, however often its <c>Add*</c> extension is called; every call adds its <paramref name="configure"/>.</summary>
    /// <typeparam name="TOptions">The provider's options.</typeparam>
    /// <typeparam name="TValidator">The options' validator.</typeparam>
    /// <typeparam name="TProvider">The provider.</typeparam>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the options.</param>
    /// <param name="create">Builds the provider from the container.</param>
    /// <param name="clientName">The named client that verifies certificates.</param>
    /// <param name="insecureClientName">The named client that skips verification, or <see langword="null"/> when the provider has none.</param>
    /// <returns>The services, for chaining.</returns>
    public static IServiceCollection Add<TOptions, TValidator, TProvider>(
        IServiceCollection services,
        Action<TOptions> configure,
        Func<IServiceProvider, TProvider> create,
        string clientName,
        string? insecureClientName = null)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
        where TProvider : class, IMetricProvider
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);

        services.AddOptions<TOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>, TValidator>());
        AddClient(services, clientName, insecureSkipVerify: false);
        if (insecureClientName is not null)
        {
            AddClient(services, insecureClientName, insecureSkipVerify: true);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IMetricProvider, TProvider>(create));
        return services;
    }

    private static void AddClient(IServiceCollection services, string name, bool insecureSkipVerify) =>
        services.AddHttpClient(name)
            // Providers enforce their QueryTimeout option themselves, with their own clock and message.
            .ConfigureHttpClient(static client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => MetricHttpHandler.Create(insecureSkipVerify));
}
