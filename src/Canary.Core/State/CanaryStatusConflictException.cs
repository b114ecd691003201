using Canary.Model;

namespace Canary.State;

/// <summary>Thrown when a status save names a version that is no longer current: somebody else wrote first.</summary>
public sealed class CanaryStatusConflictException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="CanaryStatusConflictException"/> class.</summary>
    public CanaryStatusConflictException()
        : base("The canary's status was changed by another writer.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="CanaryStatusConflictException"/> class.</summary>
    /// <param name="message">The message.</param>
    public CanaryStatusConflictException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="CanaryStatusConflictException"/> class.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public CanaryStatusConflictException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="CanaryStatusConflictException"/> class for a canary.</summary>
    /// <param name="id">The canary whose status changed.</param>
    /// <param name="expectedVersion">The version the writer had read.</param>
    public CanaryStatusConflictException(CanaryId id, string? expectedVersion)
        : base($"The status of canary {id} changed since version '{expectedVersion ?? "(none)"}' was read.")
    {
    }
}
