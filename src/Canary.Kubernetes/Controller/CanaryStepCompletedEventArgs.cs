using Canary.Model;

namespace Canary.Kubernetes.Controller;

/// <summary>One reconcile step that a <see cref="CanaryController"/> ran, with its outcome.</summary>
public sealed class CanaryStepCompletedEventArgs : EventArgs
{
    /// <summary>Initializes a new instance of the <see cref="CanaryStepCompletedEventArgs"/> class.</summary>
    /// <param name="canary">The canary as the step ran it.</param>
    /// <param name="generation">The Canary object's <c>metadata.generation</c> the spec was read from.</param>
    /// <param name="status">The status after the step, or <see langword="null"/> when the step failed.</param>
    /// <param name="error">Why the step failed, or <see langword="null"/>.</param>
    public CanaryStepCompletedEventArgs(CanaryResource canary, long generation, CanaryStatus? status, Exception? error)
    {
        ArgumentNullException.ThrowIfNull(canary);
        Canary = canary;
        Generation = generation;
        Status = status;
        Error = error;
    }

    /// <summary>Gets the canary as the step ran it.</summary>
    public CanaryResource Canary { get; }

    /// <summary>Gets the Canary object's <c>metadata.generation</c> the spec was read from.</summary>
    public long Generation { get; }

    /// <summary>Gets the status after the step, or <see langword="null"/> when the step failed.</summary>
    public CanaryStatus? Status { get; }

    /// <summary>Gets why the step failed, or <see langword="null"/> when it succeeded.</summary>
    public Exception? Error { get; }
}
