using Canary.Engine;
using Canary.Events;
using Canary.Metrics.Prometheus;
using Canary.Model;
using Canary.Notifications;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Canary.Cli.Demo;

/// <summary>
/// Drives the demo's rollouts with the real engine, composed through <see cref="DemoEnvironment.AddCanary"/> as a host would:
/// initialization (the primary takes the traffic), then one rollout per released version, each run by the
/// <see cref="CanaryRunner"/> at the canary's analysis interval until it is promoted or rolled back. On virtual time
/// (<see cref="DemoEnvironment.Clock"/>) each of them moves the clock itself until it is done, and the runner waits on the clock
/// through a view that tells the clock when the engine is at work.
/// </summary>
public sealed class DemoRollouts : IAsyncDisposable
{
    private static readonly TimeSpan InitializationPoll = TimeSpan.FromMilliseconds(250);
    private readonly DemoEnvironment _environment;
    private readonly ServiceProvider _services;
    private readonly CanaryEngine _engine;
    private readonly CanaryRunner _runner;

    /// <summary>Initializes a new instance of the <see cref="DemoRollouts"/> class.</summary>
    /// <param name="environment">The running environment.</param>
    /// <param name="canary">The canary, usually <see cref="DemoEnvironment.CreateCanary"/>'s.</param>
    /// <param name="onEvent">Sees every event of the engine as it happens, or <see langword="null"/>.</param>
    /// <param name="prometheus">
    /// A Prometheus server that scrapes the proxy (a <see cref="DemoPrometheus"/>'s address), whose answers to Canary.Metrics' builtin
    /// queries for the canary's provider the analysis then judges instead of the environment's <see cref="ProxyMetricProvider"/>;
    /// or <see langword="null"/>.
    /// </param>
    public DemoRollouts(DemoEnvironment environment, CanaryResource canary, Action<CanaryEvent>? onEvent = null, Uri? prometheus = null)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(canary);
        _environment = environment;
        Canary = canary;
        var services = new ServiceCollection();
        services.AddSingleton<INotifier>(new CallbackNotifier(onEvent));
        if (prometheus is null)
        {
            environment.AddCanary(services);
        }
        else
        {
            environment
                .AddCanary(services, engine => engine.BuiltinMetricsProvider = PrometheusMetricProvider.ProviderType)
                .AddPrometheus(options => options.Address = prometheus);
        }

        _services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        _engine = _services.GetRequiredService<CanaryEngine>();
        _runner = _services.GetRequiredService<CanaryRunner>();
    }

    /// <summary>Gets the canary rolled out.</summary>
    public CanaryResource Canary { get; }

    /// <summary>Runs the engine until the canary is initialized: the primary is created, ready, and takes the traffic.</summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The status.</returns>
    /// <exception cref="TimeoutException">The canary was not initialized within its progress deadline.</exception>
    public Task<CanaryStatus> InitializeAsync(CancellationToken cancellationToken = default)
    {
        if (_environment.Clock is not { } clock)
        {
            return InitializeAsync(_environment.TimeProvider, cancellationToken);
        }

        var actor = clock.CreateActor();
        return clock.RunUntilAsync(WithActorAsync(actor, () => InitializeAsync(actor, cancellationToken)), cancellationToken);
    }

    /// <summary>Releases a version (sets the Deployment's image) and runs the engine until that rollout is promoted or rolled back.</summary>
    /// <param name="version">The version, for example <see cref="DemoVersions.V2"/>.</param>
    /// <param name="cancellationToken">Stops the rollout where it is.</param>
    /// <returns>The last status: <see cref="CanaryPhase.Succeeded"/> or <see cref="CanaryPhase.Failed"/>, or another phase when stopped.</returns>
    public Task<CanaryStatus?> RolloutAsync(string version, CancellationToken cancellationToken = default)
    {
        if (_environment.Clock is not { } clock)
        {
            return RolloutAsync(version, _runner, cancellationToken);
        }

        var actor = clock.CreateActor();
        var runner = new CanaryRunner(_engine, actor, _services.GetService<ILogger<CanaryRunner>>());
        return clock.RunUntilAsync(WithActorAsync(actor, () => RolloutAsync(version, runner, cancellationToken)), cancellationToken);
    }

    /// <summary>Disposes the engine's services.</summary>
    /// <returns>A task that completes when they are disposed.</returns>
    public ValueTask DisposeAsync() => _services.DisposeAsync();

    private static async Task<T> WithActorAsync<T>(VirtualActor actor, Func<Task<T>> work)
    {
        try
        {
            return await work();
        }
        finally
        {
            actor.Dispose();
        }
    }

    private async Task<CanaryStatus> InitializeAsync(TimeProvider time, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        while (true)
        {
            var status = await _engine.ReconcileAsync(Canary, cancellationToken);
            if (status.Phase != CanaryPhase.Initializing)
            {
                return status;
            }

            if (time.GetElapsedTime(started) > Canary.Spec.ProgressDeadline)
            {
                throw new TimeoutException($"The canary {Canary.Id} was not initialized within {Canary.Spec.ProgressDeadline.TotalSeconds}s: {status.Message}");
            }

            await Task.Delay(InitializationPoll, time, cancellationToken);
        }
    }

    private async Task<CanaryStatus?> RolloutAsync(string version, CanaryRunner runner, CancellationToken cancellationToken)
    {
        await _environment.DeployAsync(version, cancellationToken);
        return await runner.RunAsync(Canary, untilFinished: true, cancellationToken);
    }

    private sealed class CallbackNotifier(Action<CanaryEvent>? onEvent) : INotifier
    {
        public ValueTask NotifyAsync(CanaryResource canary, CanaryEvent canaryEvent, CancellationToken cancellationToken)
        {
            onEvent?.Invoke(canaryEvent);
            return ValueTask.CompletedTask;
        }
    }
}
