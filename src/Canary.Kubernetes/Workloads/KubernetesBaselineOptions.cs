using Canary.Kubernetes.Routing.LabelRatio;
using Canary.Model;
using Canary.Validation;

namespace Canary.Kubernetes.Workloads;

/// <summary>What a <see cref="KubernetesBaselineController"/> needs to know of the traffic routing around it.</summary>
public sealed class KubernetesBaselineOptions
{
    /// <summary>
    /// Gets or sets the label-ratio router's traffic label (<see cref="LabelRatioRouterOptions.TrafficLabel"/>): the baseline's pods
    /// carry it exactly when the canary's do, so that the apex Service selects both or neither.
    /// </summary>
    /// <value>The default is <c>canary.dev/traffic</c>; <c>AddKubernetes</c> takes it from the configured <see cref="LabelRatioRouterOptions"/>.</value>
    public string TrafficLabel { get; set; } = LabelRatioRouterOptions.DefaultTrafficLabel;

    /// <summary>Gets or sets the traffic provider of canaries whose spec names none (the engine's <c>DefaultProvider</c>).</summary>
    /// <value>The default is <c>kubernetes</c>; <c>AddKubernetes</c> takes it from the engine's options.</value>
    public string DefaultProvider { get; set; } = TrafficProviders.Kubernetes;

    /// <summary>Checks the options.</summary>
    /// <returns>Every problem found, each naming its property; empty when the options are valid.</returns>
    public IReadOnlyList<ValidationError> Validate()
    {
        var errors = new List<ValidationError>();
        if (string.IsNullOrWhiteSpace(TrafficLabel))
        {
            errors.Add(new(nameof(TrafficLabel), "is required"));
        }

        if (string.IsNullOrWhiteSpace(DefaultProvider))
        {
            errors.Add(new(nameof(DefaultProvider), "is required"));
        }

        return errors;
    }
}
