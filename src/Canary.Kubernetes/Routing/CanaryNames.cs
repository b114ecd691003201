using Canary.Model;

namespace Canary.Kubernetes.Routing;

/// <summary>The names of the objects around one canary, as Flagger names them.</summary>
internal sealed record CanaryNames
{
    public CanaryNames(CanaryResource canary)
    {
        ArgumentNullException.ThrowIfNull(canary);
        Namespace = canary.Id.Namespace;
        Target = canary.Spec.TargetRef.Name;
        PrimaryDeployment = $"{Target}-primary";
        Apex = string.IsNullOrEmpty(canary.Spec.Service.Name) ? Target : canary.Spec.Service.Name;
        PrimaryService = $"{Apex}-primary";
        CanaryService = $"{Apex}-canary";
        PreviewService = $"{Apex}-preview";
    }

    /// <summary>Gets the namespace of the canary and of every object here.</summary>
    public string Namespace { get; }

    /// <summary>Gets the target Deployment: the canary workload, which the user owns.</summary>
    public string Target { get; }

    /// <summary>Gets the primary Deployment, <c>target-primary</c>.</summary>
    public string PrimaryDeployment { get; }

    /// <summary>Gets the apex Service that clients call.</summary>
    public string Apex { get; }

    /// <summary>Gets the Service that selects the primary's pods.</summary>
    public string PrimaryService { get; }

    /// <summary>Gets the Service that selects the canary's pods.</summary>
    public string CanaryService { get; }

    /// <summary>Gets the Service a preview host reaches the canary through.</summary>
    public string PreviewService { get; }
}
