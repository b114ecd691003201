using Canary.Kubernetes.Client;
using Canary.Kubernetes.State;
using Canary.Validation;

namespace Canary.Kubernetes.Workloads;

/// <summary>How a <see cref="KubernetesWorkloadController"/> names, labels and writes the objects it manages.</summary>
public sealed class KubernetesWorkloadOptions
{
    /// <summary>Gets or sets the labels one of which selects the target's pods; the first one in the target's selector is used.</summary>
    /// <value>The default is <c>app</c>, <c>name</c>, <c>app.kubernetes.io/name</c>, as Flagger's <c>-selector-labels</c>.</value>
    public IReadOnlyList<string> SelectorLabels { get; set; } = ["app", "name", "app.kubernetes.io/name"];

    /// <summary>Gets or sets the field manager of every write.</summary>
    /// <value>The default is <c>canary</c>.</value>
    public string FieldManager { get; set; } = "canary";

    /// <summary>Gets or sets the Canary custom resource that generated objects name as their owner, when one exists.</summary>
    /// <value>The default is <c>canary.dev/v1</c> <c>canaries</c>.</value>
    public ResourceType CanaryResource { get; set; } = CanaryResourceTypes.Canary();

    /// <summary>
    /// Gets or sets a value indicating whether the ConfigMaps and Secrets the pod template references are part of the revision and
    /// are copied for the primary as <c>name-primary</c>.
    /// </summary>
    /// <value>The default is <see langword="true"/>, as Flagger's <c>-enable-config-tracking</c>.</value>
    public bool ConfigTracking { get; set; } = true;

    /// <summary>Checks the options.</summary>
    /// <returns>Every problem found, each naming its property; empty when the options are valid.</returns>
    public IReadOnlyList<ValidationError> Validate()
    {
        var errors = new List<ValidationError>();
        if (SelectorLabels is null || SelectorLabels.Count == 0 || SelectorLabels.Any(string.IsNullOrWhiteSpace))
        {
            errors.Add(new(nameof(SelectorLabels), "must name at least one label, and no empty ones"));
        }

        if (string.IsNullOrWhiteSpace(FieldManager) || FieldManager.Length > 128 || FieldManager.Any(char.IsControl))
        {
            errors.Add(new(nameof(FieldManager), "must be 1 to 128 printable characters"));
        }

        if (CanaryResource is null)
        {
            errors.Add(new(nameof(CanaryResource), "is required"));
        }

        return errors;
    }
}
