using Canary.Model;
using Canary.State;

namespace Canary.Benchmarks;

/// <summary>A status store that always answers the same status, so every measured step does the same work.</summary>
internal sealed class FixedStatusStore(CanaryStatus status) : ICanaryStatusStore
{
    private readonly VersionedStatus _stored = new(status, "1");

    public ValueTask<VersionedStatus?> GetAsync(CanaryId id, CancellationToken cancellationToken) => ValueTask.FromResult<VersionedStatus?>(_stored);

    public ValueTask<VersionedStatus> SaveAsync(CanaryId id, CanaryStatus status, string? expectedVersion, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_stored);
}
