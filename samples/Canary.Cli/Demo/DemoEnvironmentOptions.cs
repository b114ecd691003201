using Canary.Model;
using Canary.Validation;
using Microsoft.Extensions.Logging;

namespace Canary.Cli.Demo;

/// <summary>Settings of a <see cref="DemoEnvironment"/>.</summary>
public sealed class DemoEnvironmentOptions
{
    /// <summary>Gets or sets the traffic provider the proxy obeys and the canary names.</summary>
    /// <value>The default is <c>nginx</c>.</value>
    public string Provider { get; set; } = TrafficProviders.Nginx;

    /// <summary>Gets or sets the namespace of the demo app.</summary>
    /// <value>The default is <c>test</c>.</value>
    public string Namespace { get; set; } = "test";

    /// <summary>Gets or sets the app's name: its Deployment (the canary target), its apex Service and its Ingress.</summary>
    /// <value>The default is <c>podinfo</c>.</value>
    public string AppName { get; set; } = "podinfo";

    /// <summary>Gets or sets the replicas of the app's Deployment.</summary>
    /// <value>The default is 4, so that label-ratio can give the canary a quarter of the pods.</value>
    public int Replicas { get; set; } = 4;

    /// <summary>Gets or sets the version the app runs before any rollout.</summary>
    /// <value>The default is <see cref="DemoVersions.V1"/>.</value>
    public string InitialVersion { get; set; } = DemoVersions.V1;

    /// <summary>Gets the behaviour of each version; by default v1 and v2 are healthy and v3 faulty.</summary>
    public IDictionary<string, DemoPodBehavior> Versions { get; } = new Dictionary<string, DemoPodBehavior>(StringComparer.Ordinal)
    {
        [DemoVersions.V1] = DemoVersions.Healthy,
        [DemoVersions.V2] = DemoVersions.Healthy,
        [DemoVersions.V3] = DemoVersions.Faulty,
    };

    /// <summary>Gets or sets how long a started pod waits before it serves and counts as ready, as a readiness probe's initial delay.</summary>
    /// <value>The default is zero: ready once started.</value>
    public TimeSpan PodReadinessDelay { get; set; }

    /// <summary>Gets the users' traffic: rate, concurrency, and an optional marked share for A/B tests.</summary>
    public LoadGeneratorOptions Load { get; } = new();

    /// <summary>Gets or sets a value indicating whether the users' traffic starts with the environment.</summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool StartLoad { get; set; } = true;

    /// <summary>Gets or sets the seed of the pods, the proxy's draws and the load's marks.</summary>
    public int Seed { get; set; } = 1;

    /// <summary>Gets or sets the clock of everything that waits, or <see langword="null"/> for the system clock.</summary>
    public TimeProvider? TimeProvider { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether the environment runs on virtual time: everything waits on one
    /// <see cref="Canary.Testing.Time.ManualTimeProvider"/> that <see cref="DemoEnvironment.Clock"/> moves itself, tick by tick, with
    /// the users' requests of each tick, and the pods state their latency instead of waiting it out. <see cref="TimeProvider"/> must
    /// then be <see langword="null"/>, and the load needs a rate.
    /// </summary>
    /// <value>The default is <see langword="false"/>: real time.</value>
    public bool VirtualTime { get; set; }

    /// <summary>Gets or sets where the pieces log, or <see langword="null"/> for nowhere.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>Checks the options, including the load's.</summary>
    /// <returns>Every problem found, each naming its property; empty when the options are valid.</returns>
    public IReadOnlyList<ValidationError> Validate()
    {
        var errors = new List<ValidationError>();
        if (string.IsNullOrWhiteSpace(Provider) || !TrafficProviders.IsKnown(Provider))
        {
            errors.Add(new(nameof(Provider), $"must be one of {string.Join(", ", TrafficProviders.All)}, not \"{Provider}\""));
        }

        foreach (var (name, value) in new[] { (nameof(Namespace), Namespace), (nameof(AppName), AppName), (nameof(InitialVersion), InitialVersion) })
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                errors.Add(new(name, "is required"));
            }
        }

        if (Replicas is < 1 or > 20)
        {
            errors.Add(new(nameof(Replicas), $"must be between 1 and 20, not {Replicas}"));
        }

        if (PodReadinessDelay < TimeSpan.Zero)
        {
            errors.Add(new(nameof(PodReadinessDelay), "must not be negative"));
        }

        foreach (var (version, behavior) in Versions)
        {
            errors.AddRange(behavior.Validate().Select(e => e with { Path = $"{nameof(Versions)}[{version}].{e.Path}" }));
        }

        if (VirtualTime && TimeProvider is not null)
        {
            errors.Add(new(nameof(TimeProvider), "must be null with VirtualTime, which brings its own clock"));
        }

        if (VirtualTime && Load.RequestsPerSecond is null)
        {
            errors.Add(new($"{nameof(Load)}.{nameof(LoadGeneratorOptions.RequestsPerSecond)}", "is required with VirtualTime, which sends each tick's share"));
        }

        errors.AddRange(Load.Validate().Select(e => e with { Path = $"{nameof(Load)}.{e.Path}" }));
        return errors;
    }
}
