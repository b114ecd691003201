using Canary.Validation;
using Microsoft.Extensions.Logging;

namespace Canary.Cli.Demo;

/// <summary>Settings of a <see cref="DemoCluster"/>.</summary>
public sealed class DemoClusterOptions
{
    /// <summary>Gets or sets the namespace whose Deployments and Services the cluster follows.</summary>
    /// <value>The default is <c>test</c>.</value>
    public string Namespace { get; set; } = "test";

    /// <summary>Gets the behaviour of each app version (the image tag), for pods started from now on.</summary>
    public IDictionary<string, DemoPodBehavior> Versions { get; } = new Dictionary<string, DemoPodBehavior>(StringComparer.Ordinal);

    /// <summary>Gets or sets the behaviour of versions that <see cref="Versions"/> does not list.</summary>
    /// <value>The default is <see cref="DemoPodBehavior.Healthy"/>.</value>
    public DemoPodBehavior DefaultBehavior { get; set; } = DemoPodBehavior.Healthy;

    /// <summary>
    /// Gets or sets a value indicating whether the cluster plays the deployment controller and the kubelet: it runs
    /// <c>spec.replicas</c> pods per Deployment and writes their counts and conditions into the Deployment's status, so that a pod is
    /// reported ready only once it serves. Turn the fake API server's deployment simulator off then. Otherwise the pods follow the
    /// <c>status.readyReplicas</c> that something else writes (the simulator, or a test by hand).
    /// </summary>
    /// <value>The default is <see langword="false"/>.</value>
    public bool ManageDeploymentStatus { get; set; }

    /// <summary>Gets or sets how long a started pod waits before it serves (and, with <see cref="ManageDeploymentStatus"/>, counts as ready).</summary>
    /// <value>The default is zero.</value>
    public TimeSpan ReadinessDelay { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether the pods answer at once and state their latency in <see cref="DemoPod.LatencyHeader"/>
    /// (<see cref="DemoPod.ReportsLatency"/>) instead of waiting it out, for a demo on virtual time.
    /// </summary>
    /// <value>The default is <see langword="false"/>: the pods wait on <see cref="TimeProvider"/>.</value>
    public bool ReportLatency { get; set; }

    /// <summary>Gets or sets the seed of pod names and of each pod's randomness.</summary>
    public int Seed { get; set; } = 1;

    /// <summary>Gets or sets the clock of the pods' latency and of the informers' backoff, or <see langword="null"/> for the system clock.</summary>
    public TimeProvider? TimeProvider { get; set; }

    /// <summary>Gets or sets where failures to start pods or to watch are logged, or <see langword="null"/> for nowhere.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>Checks the options.</summary>
    /// <returns>Every problem found, each naming its property; empty when the options are valid.</returns>
    public IReadOnlyList<ValidationError> Validate()
    {
        var errors = new List<ValidationError>();
        if (string.IsNullOrWhiteSpace(Namespace))
        {
            errors.Add(new(nameof(Namespace), "is required"));
        }

        if (ReadinessDelay < TimeSpan.Zero)
        {
            errors.Add(new(nameof(ReadinessDelay), "must not be negative"));
        }

        if (DefaultBehavior is null)
        {
            errors.Add(new(nameof(DefaultBehavior), "is required"));
        }
        else
        {
            errors.AddRange(DefaultBehavior.Validate().Select(e => e with { Path = $"{nameof(DefaultBehavior)}.{e.Path}" }));
        }

        foreach (var (version, behavior) in Versions)
        {
            errors.AddRange(behavior.Validate().Select(e => e with { Path = $"{nameof(Versions)}[{version}].{e.Path}" }));
        }

        return errors;
    }
}
