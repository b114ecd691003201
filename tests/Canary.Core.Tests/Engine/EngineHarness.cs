using Canary.Analysis;
using Canary.Engine;
using Canary.Events;
using Canary.Gates;
using Canary.Model;
using Canary.Notifications;
using Canary.Routing;
using Canary.State;
using Canary.Testing.Simulation;
using Canary.Testing.Time;
using Canary.Workloads;
using Microsoft.Extensions.DependencyInjection;

namespace Canary.Core.Tests.Engine;

/// <summary>The real engine on a simulated cluster, with metrics and webhooks a test scripts step by step.</summary>
internal sealed class EngineHarness : IAsyncDisposable
{
    private readonly ServiceProvider _provider;

    /// <param name="canary">The canary.</param>
    /// <param name="cluster">The simulated cluster's options.</param>
    /// <param name="crashes">Where the ports crash, or <see langword="null"/>.</param>
    /// <param name="webhooks">A webhook client to use instead of <see cref="Webhooks"/> (the real HTTP client, say).</param>
    /// <param name="configure">Adds to the engine's builder (approval or test gates, say).</param>
    public EngineHarness(
        CanaryResource canary,
        SimulatedClusterOptions? cluster = null,
        CrashInjector? crashes = null,
        IWebhookClient? webhooks = null,
        Action<ICanaryBuilder>? configure = null)
    {
        Canary = canary;
        Cluster = new SimulatedCluster(Time, cluster);
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(Time);
        if (crashes is null)
        {
            services.AddSingleton<IWorkloadController>(Cluster);
            services.AddSingleton<ITrafficRouter>(Cluster);
            services.AddSingleton<ICanaryStatusStore>(Store);
        }
        else
        {
            var crashing = new CrashingPorts(Cluster, Store, crashes);
            services.AddSingleton<IWorkloadController>(crashing);
            services.AddSingleton<ITrafficRouter>(crashing);
            services.AddSingleton<ICanaryStatusStore>(crashing);
        }

        services.AddSingleton<IMetricProvider>(Metrics);
        services.AddSingleton<ITrafficSampleProvider>(Samples);
        services.AddSingleton<IBaselineController>(Cluster);
        services.AddSingleton<IWebhookClient>(webhooks ?? Webhooks);
        services.AddSingleton<INotifier>(Recorder);
        var builder = services.AddCanary().ConfigureResilience(o => o.MaxRetryAttempts = 0);
        configure?.Invoke(builder);
        _provider = services.BuildServiceProvider();
        Engine = _provider.GetRequiredService<CanaryEngine>();
        Commands = _provider.GetRequiredService<CanaryCommands>();
        Cluster.Deploy(canary.Id, "v1");
    }

    public CanaryResource Canary { get; set; }

    public IServiceProvider Services => _provider;

    public ManualTimeProvider Time { get; } = new();

    public SimulatedCluster Cluster { get; }

    public ScriptedMetricProvider Metrics { get; } = new();

    public ScriptedTrafficSampleProvider Samples { get; } = new();

    public SimulatedWebhookClient Webhooks { get; } = new();

    public RecordingNotifier Recorder { get; } = new();

    public InMemoryCanaryStatusStore Store { get; } = new();

    public CanaryEngine Engine { get; }

    public CanaryCommands Commands { get; }

    public CanaryStatus Status { get; private set; } = CanaryStatus.New;

    public IReadOnlyList<CanaryEvent> Events => Recorder.Events.ToList();

    public IEnumerable<int> AdvancedWeights => Events.Where(e => e.Type == CanaryEventType.WeightAdvanced).Select(e => e.Weight);

    /// <summary>Moves the clock one analysis interval and runs one step; a step that crashes is run again at once, as a restarted engine would.</summary>
    public async Task<CanaryStatus> StepAsync()
    {
        Time.Advance(Canary.Spec.Analysis.Interval);
        try
        {
            Status = await Engine.ReconcileAsync(Canary);
        }
        catch (SimulatedCrashException)
        {
            Status = await Engine.ReconcileAsync(Canary);
        }

        return Status;
    }

    /// <summary>Initializes the canary with v1 (stepping while the primary comes up), then deploys v2 and runs the step that detects it.</summary>
    public async Task<CanaryStatus> StartRolloutAsync()
    {
        Status = await Engine.ReconcileAsync(Canary);
        for (var i = 0; i < 100 && Status.Phase == CanaryPhase.Initializing; i++)
        {
            await StepAsync();
        }

        Status.Phase.Should().Be(CanaryPhase.Initialized);
        Cluster.Deploy(Canary.Id, "v2");
        return await StepAsync();
    }

    /// <summary>Steps until the rollout of v2 ends, at most <paramref name="maxSteps"/> times.</summary>
    public async Task<CanaryStatus> RunToEndAsync(int maxSteps = 200)
    {
        for (var i = 0; i < maxSteps && !(Status.IsFinished && Status.LastAppliedSpec == "v2"); i++)
        {
            await StepAsync();
        }

        return Status;
    }

    /// <summary>Resolves a service of the engine's host, such as the approval gate a test completes.</summary>
    public T Service<T>()
        where T : notnull => _provider.GetRequiredService<T>();

    public ValueTask DisposeAsync() => _provider.DisposeAsync();
}
