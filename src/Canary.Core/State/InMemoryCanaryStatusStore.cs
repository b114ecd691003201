using System.Collections.Concurrent;
using System.Globalization;
using Canary.Model;

namespace Canary.State;

/// <summary>A status store in memory, with the same optimistic concurrency as a real one; for tests, simulations and single-process hosts.</summary>
public sealed class InMemoryCanaryStatusStore : ICanaryStatusStore
{
    private readonly ConcurrentDictionary<CanaryId, VersionedStatus> _statuses = new();
    private long _version;

    /// <inheritdoc />
    public ValueTask<VersionedStatus?> GetAsync(CanaryId id, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_statuses.GetValueOrDefault(id));

    /// <inheritdoc />
    public ValueTask<VersionedStatus> SaveAsync(CanaryId id, CanaryStatus status, string? expectedVersion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(status);
        var saved = new VersionedStatus(status, Interlocked.Increment(ref _version).ToString(CultureInfo.InvariantCulture));
        var stored = expectedVersion is null
            ? _statuses.TryAdd(id, saved)
            : _statuses.TryGetValue(id, out var current) && current.Version == expectedVersion && _statuses.TryUpdate(id, saved, current);
        return stored ? ValueTask.FromResult(saved) : throw new CanaryStatusConflictException(id, expectedVersion);
    }
}
