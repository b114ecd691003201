using Canary.Model;

namespace Canary.Engine;

/// <summary>Options of the <see cref="CanaryEngine"/>.</summary>
public sealed class CanaryEngineOptions
{
    /// <summary>Gets or sets the traffic provider of canaries whose spec names none.</summary>
    /// <value>The default value is <see cref="TrafficProviders.Kubernetes"/>.</value>
    public string DefaultProvider { get; set; } = TrafficProviders.Kubernetes;

    /// <summary>Gets or sets the metric provider that answers the builtin metrics.</summary>
    /// <value>The default value is <c>prometheus</c>.</value>
    public string BuiltinMetricsProvider { get; set; } = "prometheus";

    /// <summary>Gets or sets a value indicating whether passing metric checks are published as <see cref="Events.CanaryEventType.CheckPassed"/> events.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool PublishPassedChecks { get; set; } = true;
}
