using System.Text.Json.Nodes;
using Canary.Kubernetes.Client;
using Canary.Model;

namespace Canary.Kubernetes.Workloads;

/// <summary>The target Deployment of a canary as read for one call, with the names of everything generated from it.</summary>
internal sealed class TargetWorkload
{
    public TargetWorkload(CanaryResource canary, JsonObject deployment, string selectorLabel, string selectorValue)
    {
        Canary = canary;
        Deployment = deployment;
        SelectorLabel = selectorLabel;
        SelectorValue = selectorValue;
        Name = canary.Spec.TargetRef.Name;
        ServiceName = string.IsNullOrEmpty(canary.Spec.Service.Name) ? Name : canary.Spec.Service.Name;
    }

    public CanaryResource Canary { get; }

    public string Namespace => Canary.Id.Namespace;

    /// <summary>Gets the target's name, which is also the canary workload's.</summary>
    public string Name { get; }

    public string PrimaryName => Name + "-primary";

    /// <summary>Gets the name of the baseline Deployment: the stable version at the canary's scale, for <c>analysis.baseline</c>.</summary>
    public string BaselineName => Name + "-baseline";

    public string ServiceName { get; }

    public JsonObject Deployment { get; }

    public string SelectorLabel { get; }

    public string SelectorValue { get; }

    public string PrimarySelectorValue => SelectorValue + "-primary";

    public string BaselineSelectorValue => SelectorValue + "-baseline";

    /// <summary>Gets the ConfigMaps and Secrets the pod template references, each with its object, or null when it does not exist.</summary>
    public IReadOnlyList<TrackedConfig> Configs { get; set; } = [];

    public JsonObject Template => Deployment["spec"]?["template"] as JsonObject ?? [];

    public int Replicas => (int)(JsonTree.Integer(Deployment["spec"], "replicas") ?? 1);

    /// <summary>A ConfigMap or Secret the pod template references.</summary>
    /// <param name="Resource">ConfigMaps or Secrets.</param>
    /// <param name="Name">Its name.</param>
    /// <param name="Object">The object, or <see langword="null"/> when it does not exist.</param>
    internal sealed record TrackedConfig(ResourceType Resource, string Name, JsonObject? Object)
    {
        public string PrimaryName => Name + "-primary";
    }
}
