namespace Canary.Notifications;

/// <summary>Where <see cref="AlertProvider"/> definitions are found: in memory, Kubernetes objects, a host's configuration.</summary>
public interface IAlertProviderStore
{
    /// <summary>Returns the provider a canary's alert refers to, or <see langword="null"/> if there is none.</summary>
    /// <param name="name">The provider's name.</param>
    /// <param name="providerNamespace">The namespace to look in: the reference's, or the canary's.</param>
    /// <param name="cancellationToken">A token that cancels the lookup.</param>
    /// <returns>The provider, or <see langword="null"/>.</returns>
    ValueTask<AlertProvider?> GetAsync(string name, string providerNamespace, CancellationToken cancellationToken);
}
