using Canary.Model;

namespace Canary.State;

/// <summary>A status as stored, with the version that a save must name.</summary>
/// <param name="Status">The status.</param>
/// <param name="Version">The store's version of it (a Kubernetes resourceVersion, a counter).</param>
public sealed record VersionedStatus(CanaryStatus Status, string Version);
