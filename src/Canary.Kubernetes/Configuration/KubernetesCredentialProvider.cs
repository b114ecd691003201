namespace Canary.Kubernetes.Configuration;

/// <summary>
/// Supplies credentials that can change over time: a rotated service-account token, an exec plugin's short-lived token or
/// certificate. The counterpart of KubernetesClient's <c>TokenProvider</c>.
/// </summary>
/// <remarks>The client asks before every request, so implementations cache and refresh on their own schedule.</remarks>
public abstract class KubernetesCredentialProvider
{
    /// <summary>Returns the credentials to use for the next request.</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The current credentials.</returns>
    /// <exception cref="KubernetesCredentialException">The credentials cannot be obtained.</exception>
    public abstract ValueTask<KubernetesCredentials> GetCredentialsAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Drops any cached credentials, so that the next <see cref="GetCredentialsAsync"/> fetches fresh ones. The client calls this
    /// after a 401 Unauthorized answer.
    /// </summary>
    public virtual void Invalidate()
    {
    }
}
