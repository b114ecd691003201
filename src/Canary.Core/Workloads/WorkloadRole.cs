namespace Canary.Workloads;

/// <summary>The workloads of a canary.</summary>
public enum WorkloadRole
{
    /// <summary><c>name-primary</c>: the stable version that serves most traffic.</summary>
    Primary,

    /// <summary><c>name</c>: the new version under analysis.</summary>
    Canary,

    /// <summary><c>name-baseline</c>: the stable version at the canary's scale, for side-by-side comparison.</summary>
    Baseline,
}
