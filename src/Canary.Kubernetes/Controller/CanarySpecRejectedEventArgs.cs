using Canary.Model;
using Canary.Validation;

namespace Canary.Kubernetes.Controller;

/// <summary>A Canary object whose spec a <see cref="CanaryController"/> cannot run, with every problem found.</summary>
public sealed class CanarySpecRejectedEventArgs : EventArgs
{
    /// <summary>Initializes a new instance of the <see cref="CanarySpecRejectedEventArgs"/> class.</summary>
    /// <param name="id">The canary.</param>
    /// <param name="generation">The object's <c>metadata.generation</c> that was read.</param>
    /// <param name="errors">Every problem, each with its field path.</param>
    public CanarySpecRejectedEventArgs(CanaryId id, long generation, IReadOnlyList<ValidationError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        Id = id;
        Generation = generation;
        Errors = errors;
    }

    /// <summary>Gets the canary.</summary>
    public CanaryId Id { get; }

    /// <summary>Gets the object's <c>metadata.generation</c> that was read.</summary>
    public long Generation { get; }

    /// <summary>Gets every problem, each with its field path.</summary>
    public IReadOnlyList<ValidationError> Errors { get; }
}
