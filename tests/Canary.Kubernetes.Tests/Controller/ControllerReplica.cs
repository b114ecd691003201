using Canary.Analysis;
using Canary.Events;
using Canary.Kubernetes.Client;
using Canary.Kubernetes.Controller;
using Canary.Kubernetes.DependencyInjection;
using Canary.Kubernetes.Tests.TestSupport;
using Canary.Kubernetes.Workloads;
using Canary.Model;
using Canary.Notifications;
using Canary.Routing;
using Canary.Testing.Simulation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ManualClock = Canary.Testing.Time.ManualTimeProvider;

namespace Canary.Kubernetes.Tests.Controller;

/// <summary>
/// One controller replica composed as a host would (<c>AddCanary().AddKubernetes().AddCanaryController()</c>) against the fake
/// cluster, with its own client, cache and identity, the ConfigMap test router and a fixed metric value; it records every step.
/// The Lease lasts an hour, so that a replica that the manual clock jumps past its renewals keeps leading until it stops, and
/// port calls time out after a day, so that a step in flight while the clock jumps a minute runs to its end.
/// </summary>
internal sealed class ControllerReplica : IAsyncDisposable
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);
    private readonly ServiceProvider _services;
    private readonly RecordingNotifier _events;
    private readonly ManualClock _clock;
    private readonly Lock _gate = new();
    private readonly List<CanaryStepCompletedEventArgs> _steps = [];
    private readonly List<CanarySpecRejectedEventArgs> _rejections = [];
    private readonly CancellationTokenSource _stop = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly FakeCluster _cluster;
    private Task? _run;

    private ControllerReplica(ServiceProvider services, RecordingNotifier events, ManualClock clock, string identity, FakeCluster cluster)
    {
        _cluster = cluster;
        _services = services;
        _events = events;
        _clock = clock;
        Identity = identity;
        Controller.StepCompleted += (_, step) => Record(step);
        Controller.CanariesChanged += (_, _) => Signal();
        Controller.SpecRejected += (_, rejection) =>
        {
            lock (_gate)
            {
                _rejections.Add(rejection);
            }

            Signal();
        };
    }

    public string Identity { get; }

    public CanaryController Controller => _services.GetRequiredService<CanaryController>();

    public KubernetesObjectCache Cache => _services.GetRequiredService<KubernetesObjectCache>();

    public IReadOnlyList<CanaryEvent> Events => _events.Events.ToList();

    public IReadOnlyList<CanaryStepCompletedEventArgs> Steps
    {
        get
        {
            lock (_gate)
            {
                return _steps.ToList();
            }
        }
    }

    public IReadOnlyList<CanarySpecRejectedEventArgs> Rejections
    {
        get
        {
            lock (_gate)
            {
                return _rejections.ToList();
            }
        }
    }

    public static ControllerReplica Start(
        FakeCluster cluster,
        ManualClock clock,
        string identity = "controller-a",
        Action<CanaryControllerOptions>? configure = null,
        Action<KubernetesOptions>? kubernetes = null,
        IMetricProvider? metrics = null)
    {
        var services = new ServiceCollection();
        var recorder = new RecordingNotifier();
        services.AddSingleton<TimeProvider>(clock);
        services.AddSingleton<ILoggerFactory>(new ListLoggerFactory());
        services.AddSingleton<INotifier>(recorder);
        services.AddSingleton(metrics ?? new FixedMetricProvider(100));
        services.AddSingleton<ITrafficRouter>(sp => new ConfigMapTrafficRouter(sp.GetRequiredService<IKubernetesApi>(), identity));
        services.AddCanary()
            // Steps run while the test moves the manual clock: a port call must not time out because a minute passed meanwhile.
            .ConfigureResilience(o => o.AttemptTimeout = TimeSpan.FromDays(1))
            .AddKubernetes(o =>
            {
                o.Configuration = cluster.Configuration;
                o.Client = FakeCluster.ClientOptions(identity);
                o.FieldManager = identity;
                o.LeaderElection.Identity = identity;
                o.LeaderElection.LeaseNamespace = FakeCluster.Namespace;
                o.LeaderElection.LeaseName = "canary-controller";
                o.LeaderElection.LeaseDuration = TimeSpan.FromHours(1);
                o.LeaderElection.RenewDeadline = TimeSpan.FromMinutes(30);
                kubernetes?.Invoke(o);
            })
            .AddCanaryController(o =>
            {
                // The watch must not time out on the manual clock, nor back off on it.
                o.WatchTimeout = TimeSpan.FromHours(10);
                o.MinBackoff = TimeSpan.Zero;
                configure?.Invoke(o);
            });
        var replica = new ControllerReplica(services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true }), recorder, clock, identity, cluster);
        replica._run = replica.Controller.RunAsync(replica._stop.Token);
        return replica;
    }

    public CanaryPhase? LastPhase(string name) =>
        Steps.LastOrDefault(s => s.Canary.Id.Name == name && s.Status is not null)?.Status!.Phase;

    /// <summary>
    /// Waits, in real time at most <see cref="FakeCluster.Timeout"/>, until a condition holds, checking it after every step and
    /// every change of the controller's canaries.
    /// </summary>
    public async Task WaitUntilAsync(Func<ControllerReplica, bool> condition, string what)
    {
        using var timeout = new CancellationTokenSource(FakeCluster.Timeout);
        while (!condition(this))
        {
            Task changed;
            lock (_gate)
            {
                changed = _changed.Task;
            }

            if (condition(this))
            {
                return;
            }

            try
            {
                await changed.WaitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"Waited {FakeCluster.Timeout} for {what}; steps so far: {Describe()}\n{Diagnostics()}");
            }
        }
    }

    /// <summary>
    /// Advances the manual clock by <paramref name="by"/> and waits for a step after each advance, until the condition holds;
    /// at most <paramref name="rounds"/> advances.
    /// </summary>
    public async Task AdvanceUntilAsync(Func<ControllerReplica, bool> condition, string what, TimeSpan? by = null, int rounds = 60)
    {
        for (var i = 0; i < rounds && !condition(this); i++)
        {
            var count = Steps.Count;
            _clock.Advance(by ?? Interval);
            await WaitUntilAsync(r => r.Steps.Count > count, what);
        }

        condition(this).Should().BeTrue($"{what} within {rounds} advances; steps: {Describe()}");
    }

    /// <summary>Stops the controller as Ctrl+C would, and waits (in real time, bounded) until it has ended.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _run!.WaitAsync(FakeCluster.Timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"The controller did not stop within {FakeCluster.Timeout}\n{Diagnostics()}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await StopAsync();
        }

        await _services.DisposeAsync();
        _stop.Dispose();
    }

    private void Record(CanaryStepCompletedEventArgs step)
    {
        lock (_gate)
        {
            _steps.Add(step);
        }

        Signal();
    }

    private void Signal()
    {
        TaskCompletionSource changed;
        lock (_gate)
        {
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        changed.TrySetResult();
    }

    /// <summary>The last requests the server answered and the last log entries, for a test that waited in vain.</summary>
    private string Diagnostics()
    {
        var logs = (ListLoggerFactory)_services.GetRequiredService<ILoggerFactory>();
        return string.Join("\n", _cluster.Server.Requests.TakeLast(30).Select(r => $"{r.UserAgent} {r.Method} {r.Path} {r.StatusCode}")
            .Concat(logs.Entries.TakeLast(40).Select(e => $"{e.Category} {e.EventId.Name} {e.Message} {e.Exception?.GetType().Name}")));
    }

    private string Describe() => string.Join(", ", Steps.Select(s =>
        $"{s.Canary.Id.Name}@{s.Generation}:{s.Status?.Phase.ToString() ?? s.Error?.Message}/{s.Status?.CanaryWeight}"));
}
