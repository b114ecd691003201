using Canary.Model;

namespace Canary.State;

/// <summary>Persists canary statuses with optimistic concurrency, so that a restarted engine resumes where it stopped.</summary>
public interface ICanaryStatusStore
{
    /// <summary>Reads a canary's status.</summary>
    /// <param name="id">The canary.</param>
    /// <param name="cancellationToken">A token that cancels the read.</param>
    /// <returns>The status with its version, or <see langword="null"/> for a canary never saved.</returns>
    ValueTask<VersionedStatus?> GetAsync(CanaryId id, CancellationToken cancellationToken);

    /// <summary>Saves a canary's status if nobody saved another since <paramref name="expectedVersion"/>.</summary>
    /// <param name="id">The canary.</param>
    /// <param name="status">The new status.</param>
    /// <param name="expectedVersion">The version read, or <see langword="null"/> for a canary never saved.</param>
    /// <param name="cancellationToken">A token that cancels the write.</param>
    /// <returns>The saved status with its new version.</returns>
    /// <exception cref="CanaryStatusConflictException">Another writer saved the status first.</exception>
    ValueTask<VersionedStatus> SaveAsync(CanaryId id, CanaryStatus status, string? expectedVersion, CancellationToken cancellationToken);
}
