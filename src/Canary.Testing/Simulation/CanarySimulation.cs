using Canary.Analysis;
using Canary.Engine;
using Canary.Gates;
using Canary.Model;
using Canary.Notifications;
using Canary.Routing;
using Canary.Testing.Time;
using Canary.Workloads;
using Microsoft.Extensions.DependencyInjection;

namespace Canary.Testing.Simulation;

/// <summary>
/// Runs the real engine against a simulated cluster and simulated traffic, on virtual time, seeded and
/// deterministic: what users unit-test their canary policies with ("with 3% errors on the canary, this spec rolls
/// back within 2 minutes"). It initializes the canary with revision <c>v1</c>, deploys <c>v2</c>, and steps the
/// engine every analysis interval until the rollout ends, with the sequential judge's looks in between as
/// <see cref="CanaryRunner"/> paces them.
/// </summary>
public sealed class CanarySimulation
{
    /// <summary>The revision the canary is initialized with.</summary>
    public const string StableRevision = "v1";

    /// <summary>The revision that is rolled out.</summary>
    public const string NewRevision = "v2";

    private const int MaxInitializationSteps = 10_000;

    private readonly CanaryResource _canary;
    private readonly IReadOnlyCollection<MetricTemplate> _templates;
    private readonly CanarySimulationOptions _options;

    /// <summary>Initializes a new instance of the <see cref="CanarySimulation"/> class.</summary>
    /// <param name="canary">The canary to roll out.</param>
    /// <param name="templates">The metric templates its checks refer to.</param>
    /// <param name="options">The simulated world, or <see langword="null"/> for healthy defaults.</param>
    public CanarySimulation(CanaryResource canary, IEnumerable<MetricTemplate>? templates = null, CanarySimulationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(canary);
        _canary = canary;
        _templates = templates?.ToList() ?? [];
        _options = options ?? new CanarySimulationOptions();
    }

    /// <summary>Runs the rollout of <see cref="NewRevision"/> to its end, or until <see cref="CanarySimulationOptions.MaxDuration"/>.</summary>
    /// <param name="cancellationToken">A token that stops the simulation.</param>
    /// <returns>How the rollout ended.</returns>
    public async Task<CanarySimulationResult> RunAsync(CancellationToken cancellationToken = default)
    {
        var time = new ManualTimeProvider();
        var cluster = new SimulatedCluster(time, _options.Cluster);
        var traffic = new SimulatedTraffic(cluster, time, _options.Traffic);
        traffic.SetBehavior(StableRevision, _options.Primary);
        traffic.SetBehavior(NewRevision, _options.Canary);
        var webhooks = new SimulatedWebhookClient(traffic);
        foreach (var name in _options.FailingWebhooks)
        {
            webhooks.SetOutcome(name, passes: false);
        }

        var recorder = new RecordingNotifier { OnEvent = _options.OnEvent };
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(time);
        services.AddSingleton<IWebhookClient>(webhooks);
        services.AddSingleton<IWorkloadController>(cluster);
        services.AddSingleton<ITrafficRouter>(cluster);
        services.AddSingleton<IMetricProvider>(new SimulatedMetricProvider(traffic, _options.MetricValues));
        services.AddSingleton<ITrafficSampleProvider>(new SimulatedTrafficSampleProvider(traffic));
        services.AddSingleton<IBaselineController>(cluster);
        services.AddSingleton<INotifier>(recorder);
        var builder = services.AddCanary().AddMetricTemplates(_templates);
        _options.ConfigureEngine?.Invoke(builder);

        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        var engine = provider.GetRequiredService<CanaryEngine>();
        var interval = _canary.Spec.Analysis.Interval;

        cluster.Deploy(_canary.Id, StableRevision);
        var status = await engine.ReconcileAsync(_canary, cancellationToken);
        for (var i = 0; status.Phase == CanaryPhase.Initializing && i < MaxInitializationSteps; i++)
        {
            time.Advance(interval);
            status = await engine.ReconcileAsync(_canary, cancellationToken);
        }

        cluster.Deploy(_canary.Id, NewRevision);
        var started = time.GetUtcNow();
        var look = _canary.Spec.Analysis.Judge?.LookIntervalFor(interval) ?? interval;
        while (time.GetUtcNow() - started < _options.MaxDuration && !IsOver(status))
        {
            // As CanaryRunner paces it: looks between steps, and a step early when a look calls for one.
            var due = time.GetUtcNow() + interval;
            var stepNow = false;
            while (!stepNow && !IsOver(status) && time.GetUtcNow() + look < due)
            {
                traffic.Flow(_canary, look);
                time.Advance(look);
                var result = await engine.LookAsync(_canary, cancellationToken);
                status = result.Status;
                stepNow = result.StepNow;
            }

            if (IsOver(status))
            {
                break;
            }

            var remaining = due - time.GetUtcNow();
            if (!stepNow && remaining > TimeSpan.Zero)
            {
                traffic.Flow(_canary, remaining);
                time.Advance(remaining);
            }

            status = await engine.ReconcileAsync(_canary, cancellationToken);
        }

        return new CanarySimulationResult(status, recorder.Events.ToList(), time.GetUtcNow() - started, traffic.Totals(_canary.Id));
    }

    private static bool IsOver(CanaryStatus status) => status.IsFinished && status.LastAppliedSpec == NewRevision;
}
