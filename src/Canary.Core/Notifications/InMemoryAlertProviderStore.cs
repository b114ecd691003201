using System.Collections.Concurrent;

namespace Canary.Notifications;

/// <summary>An <see cref="IAlertProviderStore"/> that hosts fill in code or from their configuration.</summary>
public sealed class InMemoryAlertProviderStore : IAlertProviderStore
{
    private readonly ConcurrentDictionary<(string? Namespace, string Name), AlertProvider> _providers = new();

    /// <summary>Adds a provider, or replaces the one with the same name and namespace.</summary>
    /// <param name="provider">The provider.</param>
    public void Set(AlertProvider provider)
    {
        ArgumentNullException.ThrowIfNull(provider);
        _providers[(provider.Namespace, provider.Name)] = provider;
    }

    /// <summary>Removes a provider.</summary>
    /// <param name="name">The provider's name.</param>
    /// <param name="providerNamespace">The provider's namespace, or <see langword="null"/> for one that every namespace may use.</param>
    /// <returns><see langword="true"/> if it was there.</returns>
    public bool Remove(string name, string? providerNamespace = null) => _providers.TryRemove((providerNamespace, name), out _);

    /// <inheritdoc />
    /// <remarks>A provider in <paramref name="providerNamespace"/> is preferred to one without a namespace.</remarks>
    public ValueTask<AlertProvider?> GetAsync(string name, string providerNamespace, CancellationToken cancellationToken) =>
        ValueTask.FromResult(
            _providers.TryGetValue((providerNamespace, name), out var provider) || _providers.TryGetValue((null, name), out provider)
                ? provider
                : null);
}
