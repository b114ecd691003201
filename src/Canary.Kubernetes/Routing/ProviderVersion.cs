using Canary.Model;

namespace Canary.Kubernetes.Routing;

/// <summary>Reads the API version a spec pins with a provider suffix, as in <c>smi:v1alpha2</c> or <c>gatewayapi:v1beta1</c>.</summary>
internal static class ProviderVersion
{
    /// <summary>Returns the pinned version, or <see langword="null"/> when the provider has no suffix.</summary>
    /// <exception cref="TrafficRouterException">The suffix is not one of <paramref name="known"/>.</exception>
    public static string? Pinned(CanaryResource canary, IReadOnlyCollection<string> known)
    {
        var provider = canary.Spec.Provider;
        var colon = provider?.IndexOf(':', StringComparison.Ordinal) ?? -1;
        if (provider is null || colon < 0)
        {
            return null;
        }

        var version = provider[(colon + 1)..];
        return known.Contains(version, StringComparer.Ordinal)
            ? version
            : throw new TrafficRouterException(
                $"spec.provider: \"{provider}\" names an unknown version (known: {string.Join(", ", known.Select(v => $"{TrafficProviders.BaseName(provider)}:{v}"))})");
    }
}
