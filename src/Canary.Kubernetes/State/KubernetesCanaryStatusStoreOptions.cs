using Canary.Kubernetes.Client;
using Canary.Validation;

namespace Canary.Kubernetes.State;

/// <summary>Where a <see cref="KubernetesCanaryStatusStore"/> keeps statuses and how it writes them.</summary>
public sealed class KubernetesCanaryStatusStoreOptions
{
    /// <summary>Gets or sets the Canary custom resource whose <c>status</c> holds each canary's status.</summary>
    /// <value>
    /// The default is <c>canary.dev/v1</c> <c>canaries</c> (deploy/crds); <see cref="CanaryResourceTypes.Canary"/> with
    /// <see cref="CanaryResourceTypes.FlaggerGroup"/> and <see cref="CanaryResourceTypes.FlaggerVersion"/> drives Flagger's objects.
    /// </value>
    public ResourceType CanaryResource { get; set; } = CanaryResourceTypes.Canary();

    /// <summary>Gets or sets the field manager of the status writes.</summary>
    /// <value>The default is <c>canary</c>.</value>
    public string FieldManager { get; set; } = "canary";

    /// <summary>Checks the options.</summary>
    /// <returns>Every problem found, each naming its property; empty when the options are valid.</returns>
    public IReadOnlyList<ValidationError> Validate()
    {
        var errors = new List<ValidationError>();
        if (CanaryResource is null)
        {
            errors.Add(new(nameof(CanaryResource), "is required"));
        }
        else if (!CanaryResource.Namespaced)
        {
            errors.Add(new(nameof(CanaryResource), "must be a namespaced resource"));
        }

        if (string.IsNullOrWhiteSpace(FieldManager) || FieldManager.Length > 128 || FieldManager.Any(char.IsControl))
        {
            errors.Add(new(nameof(FieldManager), "must be 1 to 128 printable characters"));
        }

        return errors;
    }
}
