using Canary.Kubernetes.Client;
using Canary.Kubernetes.State;
using Canary.Model;
using Canary.Validation;

namespace Canary.Kubernetes.Controller;

/// <summary>Which Canary objects a <see cref="CanaryController"/> runs, and how it reports and stops.</summary>
public sealed class CanaryControllerOptions
{
    /// <summary>Gets or sets the namespace whose canaries are run, or <see langword="null"/> for every namespace.</summary>
    /// <value>The default is <see langword="null"/>: all namespaces.</value>
    public string? Namespace { get; set; }

    /// <summary>Gets or sets the Canary custom resource to watch.</summary>
    /// <value>
    /// The default is <c>canary.dev/v1</c> <c>canaries</c>; <see cref="CanaryResourceTypes.Canary"/> with
    /// <see cref="CanaryResourceTypes.FlaggerGroup"/> and <see cref="CanaryResourceTypes.FlaggerVersion"/> runs Flagger's objects.
    /// <c>AddCanaryController</c> sets it from <c>KubernetesOptions</c>, so that the status store writes to the same objects.
    /// </value>
    public ResourceType CanaryResource { get; set; } = CanaryResourceTypes.Canary();

    /// <summary>Gets the canaries to run; when empty, every canary in <see cref="Namespace"/> is run.</summary>
    public ICollection<CanaryId> Canaries { get; } = new HashSet<CanaryId>();

    /// <summary>Gets or sets a label selector that the Canary objects must match, or <see langword="null"/> for all.</summary>
    public string? LabelSelector { get; set; }

    /// <summary>Gets or sets how long running steps may take to finish when the controller stops or loses the Lease, before they are cancelled.</summary>
    /// <value>The default is 30 seconds.</value>
    /// <remarks>A cancelled step is safe: every action of the engine sets an absolute state and the status is saved after each one.</remarks>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Gets or sets a value indicating whether an invalid spec is reported on its Canary object, as a Warning Event and a
    /// <c>Valid=False</c> condition in its status, besides the log.
    /// </summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool ReportInvalidSpecs { get; set; } = true;

    /// <summary>
    /// Gets or sets a value indicating whether <c>AddCanaryController</c> also records the engine's events as Kubernetes Events on
    /// the Canary objects (<see cref="KubernetesEventRecorder"/>), as Flagger does.
    /// </summary>
    /// <value>The default is <see langword="true"/>; each event then costs one write.</value>
    public bool RecordEvents { get; set; } = true;

    /// <summary>Gets or sets the component that the reports name (an Event's <c>source.component</c>), and the field manager of their writes.</summary>
    /// <value>The default is <c>canary</c>.</value>
    public string Component { get; set; } = "canary";

    /// <summary>Gets or sets how long each watch of the Canary objects stays open before it is renewed.</summary>
    /// <value>The default is 5 minutes.</value>
    public TimeSpan WatchTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Gets or sets the first delay of the watch after a failure; it doubles up to 30 seconds.</summary>
    /// <value>The default is 1 second.</value>
    public TimeSpan MinBackoff { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Checks the options.</summary>
    /// <returns>Every problem found, each naming its property; empty when the options are valid.</returns>
    public IReadOnlyList<ValidationError> Validate()
    {
        var errors = new List<ValidationError>();
        if (Namespace is not null && string.IsNullOrWhiteSpace(Namespace))
        {
            errors.Add(new(nameof(Namespace), "must not be empty; leave it null for every namespace"));
        }

        if (CanaryResource is null)
        {
            errors.Add(new(nameof(CanaryResource), "is required"));
        }
        else if (!CanaryResource.Namespaced || CanaryResource.Kind != "Canary")
        {
            errors.Add(new(nameof(CanaryResource), $"must be a namespaced Canary resource, not {CanaryResource.Kind} {CanaryResource}"));
        }

        foreach (var id in Canaries)
        {
            if (string.IsNullOrWhiteSpace(id.Name) || string.IsNullOrWhiteSpace(id.Namespace))
            {
                errors.Add(new(nameof(Canaries), $"\"{id}\" needs both a name and a namespace"));
            }
            else if (Namespace is { Length: > 0 } only && id.Namespace != only)
            {
                errors.Add(new(nameof(Canaries), $"{id} is not in namespace {only}, the only one watched"));
            }
        }

        if (LabelSelector is not null && string.IsNullOrWhiteSpace(LabelSelector))
        {
            errors.Add(new(nameof(LabelSelector), "must not be empty; leave it null for every object"));
        }

        if (ShutdownTimeout < TimeSpan.Zero || ShutdownTimeout > TimeSpan.FromHours(1))
        {
            errors.Add(new(nameof(ShutdownTimeout), "must be between 0 and 1 hour"));
        }

        if (string.IsNullOrWhiteSpace(Component) || Component.Length > 128 || Component.Any(char.IsControl))
        {
            errors.Add(new(nameof(Component), "must be 1 to 128 printable characters"));
        }

        if (WatchTimeout < TimeSpan.FromSeconds(1))
        {
            errors.Add(new(nameof(WatchTimeout), "must be at least 1 second"));
        }

        if (MinBackoff < TimeSpan.Zero || MinBackoff > TimeSpan.FromSeconds(30))
        {
            errors.Add(new(nameof(MinBackoff), "must be between 0 and 30 seconds"));
        }

        return errors;
    }
}
