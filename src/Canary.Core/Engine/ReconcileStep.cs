using Canary.Model;
using Canary.State;

namespace Canary.Engine;

/// <summary>The working state of one reconcile step: the canary, its status as it changes, and the version to save over.</summary>
internal sealed class ReconcileStep(CanaryResource canary, VersionedStatus? stored)
{
    public CanaryResource Canary { get; } = canary;

    public CanaryId Id => Canary.Id;

    public AnalysisSpec Analysis => Canary.Spec.Analysis;

    public CanaryStatus Status { get; set; } = stored?.Status ?? CanaryStatus.New;

    public string? Version { get; set; } = stored?.Version;

    /// <summary>Gets or sets a value indicating whether the status changed since it was last saved.</summary>
    public bool IsDirty { get; set; } = stored is null;
}
