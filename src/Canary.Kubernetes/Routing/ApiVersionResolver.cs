using System.Collections.Concurrent;
using Canary.Kubernetes.Client;

namespace Canary.Kubernetes.Routing;

/// <summary>
/// Finds which of several versions of a resource the cluster serves by listing at most one object of each in the canary's
/// namespace: a 404 on the collection means the version is not served. The first answer is kept for the router's lifetime, so
/// a cluster that gains a newer version is noticed after a restart.
/// </summary>
internal sealed class ApiVersionResolver(IKubernetesApi api)
{
    private readonly ConcurrentDictionary<string, ResourceType> _resolved = new(StringComparer.Ordinal);

    /// <summary>Returns the first served candidate, or <see langword="null"/> when none is.</summary>
    public async Task<ResourceType?> ResolveAsync(IReadOnlyList<ResourceType> candidates, string namespaceName, CancellationToken cancellationToken)
    {
        var key = string.Join(',', candidates.Select(c => c.ToString()));
        if (_resolved.TryGetValue(key, out var known))
        {
            return known;
        }

        foreach (var candidate in candidates)
        {
            if (await IsServedAsync(candidate, namespaceName, cancellationToken))
            {
                _resolved[key] = candidate;
                return candidate;
            }
        }

        return null;
    }

    private async Task<bool> IsServedAsync(ResourceType resource, string namespaceName, CancellationToken cancellationToken)
    {
        try
        {
            await api.ListAsync(resource, namespaceName, new ListOptions { Limit = 1 }, cancellationToken);
            return true;
        }
        catch (KubernetesException ex) when (ex.IsNotFound)
        {
            return false;
        }
    }
}
