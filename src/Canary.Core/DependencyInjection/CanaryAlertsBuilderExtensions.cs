using Canary.Notifications;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds alert notifications (Slack, Microsoft Teams, Discord, Rocket.Chat, generic webhooks) to Canary's engine.</summary>
public static class CanaryAlertsBuilderExtensions
{
    /// <summary>
    /// Adds the <see cref="AlertNotifier"/>, which posts each canary's events to the providers its
    /// <c>analysis.alerts</c> name, found in the <see cref="IAlertProviderStore"/> (in memory unless another is registered).
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Configures the notifier, or <see langword="null"/>.</param>
    /// <returns>The value of <paramref name="builder"/>.</returns>
    public static ICanaryBuilder AddAlertNotifier(this ICanaryBuilder builder, Action<AlertNotifierOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Services.AddOptions<AlertNotifierOptions>().ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AlertNotifierOptions>, AlertNotifierOptionsValidator>());
        builder.Services.TryAddSingleton<InMemoryAlertProviderStore>();
        builder.Services.TryAddSingleton<IAlertProviderStore>(static sp => sp.GetRequiredService<InMemoryAlertProviderStore>());
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<INotifier, AlertNotifier>());
        return builder;
    }

    /// <summary>Adds alert providers to the in-memory provider store (resolve <see cref="InMemoryAlertProviderStore"/> to change them later); repeated calls add up.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="providers">The providers.</param>
    /// <returns>The value of <paramref name="builder"/>.</returns>
    public static ICanaryBuilder AddAlertProviders(this ICanaryBuilder builder, IEnumerable<AlertProvider> providers)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(providers);
        var store = builder.Services
            .Where(d => d.ServiceType == typeof(InMemoryAlertProviderStore))
            .Select(d => d.ImplementationInstance)
            .OfType<InMemoryAlertProviderStore>()
            .LastOrDefault();
        if (store is null)
        {
            store = new InMemoryAlertProviderStore();
            builder.Services.Replace(ServiceDescriptor.Singleton(store));
            builder.Services.TryAddSingleton<IAlertProviderStore>(static sp => sp.GetRequiredService<InMemoryAlertProviderStore>());
        }

        foreach (var provider in providers)
        {
            store.Set(provider);
        }

        return builder;
    }
}
