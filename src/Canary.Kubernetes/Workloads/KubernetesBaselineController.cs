using Canary.Model;
using Canary.Workloads;

namespace Canary.Kubernetes.Workloads;

/// <summary>
/// Runs the <c>name-baseline</c> Deployment of <c>analysis.baseline: true</c> next to the <see cref="KubernetesWorkloadController"/>'s
/// primary and canary: the primary's pod template and spec (the stable version, with its configuration copies), the selector label
/// suffixed <c>-baseline</c> as the primary's is suffixed <c>-primary</c>, at the canary's replicas, with the same labels and owner
/// reference as every generated object. It is deleted when the run is decided.
/// </summary>
/// <remarks>
/// Only the <c>label-ratio</c> provider routes users' traffic to the baseline: its apex Service selects pods by a label that the
/// baseline's pods carry exactly when the canary's do, and the router gives both the same replicas. The other providers send the
/// canary's share to the canary's own Service or upstream, which the baseline is not part of, so a baseline there would see no
/// traffic; <see cref="ScaleUpBaselineAsync"/> refuses them with an error naming <c>analysis.baseline</c>.
/// </remarks>
public sealed class KubernetesBaselineController : IBaselineController
{
    private readonly KubernetesWorkloadController _workloads;
    private readonly KubernetesBaselineOptions _options;

    /// <summary>Initializes a new instance of the <see cref="KubernetesBaselineController"/> class.</summary>
    /// <param name="workloads">The workload controller whose primary the baseline copies, and whose client, cache and field manager it writes through.</param>
    /// <param name="options">The traffic label and default provider, or <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentException">The options are invalid; the message names each property.</exception>
    public KubernetesBaselineController(KubernetesWorkloadController workloads, KubernetesBaselineOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(workloads);
        options ??= new KubernetesBaselineOptions();
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException($"The KubernetesBaselineOptions are invalid: {string.Join("; ", errors)}", nameof(options));
        }

        _workloads = workloads;
        _options = options;
    }

    /// <inheritdoc />
    /// <exception cref="NotSupportedException">The canary's traffic provider cannot route traffic to a baseline.</exception>
    public async ValueTask ScaleUpBaselineAsync(CanaryResource canary, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(canary);
        var provider = canary.Spec.Provider ?? _options.DefaultProvider;
        if (TrafficProviders.BaseName(provider) != TrafficProviders.LabelRatio)
        {
            throw new NotSupportedException(
                $"analysis.baseline of canary {canary.Id}: provider \"{provider}\" cannot route traffic to a baseline workload; " +
                $"use provider {TrafficProviders.LabelRatio}, or set analysis.baseline to false.");
        }

        await _workloads.EnsureBaselineAsync(canary, _options.TrafficLabel, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>Deletes the Deployment, so that nothing is left behind between runs; the next run creates it anew from the primary.</remarks>
    public ValueTask ScaleDownBaselineAsync(CanaryResource canary, CancellationToken cancellationToken) =>
        _workloads.RemoveBaselineAsync(canary, cancellationToken);

    /// <inheritdoc />
    /// <remarks>Judged as the primary and canary are (<see cref="KubernetesWorkloadController.GetReadinessAsync"/>); a baseline at zero replicas is ready.</remarks>
    public ValueTask<WorkloadReadiness> GetBaselineReadinessAsync(CanaryResource canary, CancellationToken cancellationToken) =>
        _workloads.GetReadinessAsync(canary, WorkloadRole.Baseline, cancellationToken);
}
