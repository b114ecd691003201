namespace Canary.Cli.Demo;

/// <summary>The container image of the demo app: the version is the image tag, as with podinfo.</summary>
public static class DemoImage
{
    /// <summary>The image repository the demo's Deployments name.</summary>
    public const string Repository = "ghcr.io/stefanprodan/podinfo";

    /// <summary>Returns the image reference of a version.</summary>
    /// <param name="version">The version, for example <c>2.0.0</c>.</param>
    /// <returns>The image, for example <c>ghcr.io/stefanprodan/podinfo:2.0.0</c>.</returns>
    public static string For(string version)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(version);
        return $"{Repository}:{version}";
    }

    /// <summary>Returns the version an image runs: its tag, or <c>latest</c> when it has none.</summary>
    /// <param name="image">An image reference, for example <c>ghcr.io/stefanprodan/podinfo:2.0.0</c>.</param>
    /// <returns>The version.</returns>
    public static string VersionOf(string image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var withoutDigest = image.Split('@')[0];
        var lastSlash = withoutDigest.LastIndexOf('/');
        var colon = withoutDigest.LastIndexOf(':');

        // A colon before the last slash belongs to a registry port (localhost:5000/app), not to a tag.
        return colon > lastSlash && colon < withoutDigest.Length - 1 ? withoutDigest[(colon + 1)..] : "latest";
    }
}
