using System.Text.Json.Nodes;
using System.Threading.Channels;
using Canary.Engine;
using Canary.Kubernetes.Client;
using Canary.Kubernetes.Leadership;
using Canary.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Canary.Kubernetes.Controller;

/// <summary>
/// Runs every Canary object of a namespace (or of all namespaces) as Flagger's operator does: it lists and watches the objects,
/// reads each spec with the same reader as spec files, and, while this replica holds the controller's Lease, runs each canary's
/// reconcile loop on its own <c>analysis.interval</c>. A new generation of a spec is picked up at once; a deleted object's loop
/// stops; a spec that cannot be run is reported on its object and skipped, never failing the others.
/// </summary>
/// <remarks>
/// <para>One Lease elects one replica for all canaries (<see cref="LeaseLeaderElector"/>); the others keep their watch warm and
/// take over within the lease duration, resuming each rollout from the status saved on its object. Every step asks the elector
/// first, so a replica that has lost the Lease starts no step.</para>
/// <para><see cref="RunAsync"/> runs until its token is cancelled. Then no new step starts, running ones get
/// <see cref="CanaryControllerOptions.ShutdownTimeout"/> to finish before they are cancelled (which is safe: each action sets an
/// absolute state and the status is saved after it), and the Lease is released so that another replica takes over at once.</para>
/// </remarks>
public sealed class CanaryController
{
    private readonly CanaryEngine _engine;
    private readonly IKubernetesApi _api;
    private readonly LeaseLeaderElector _elector;
    private readonly CanaryControllerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ILoggerFactory? _loggerFactory;
    private readonly InvalidSpecReporter _reporter;
    private readonly string _scope;
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    // Touched by the main loop only.
    private readonly Dictionary<CanaryId, CanaryLoop> _loops = [];
    private readonly List<(CanaryId Id, Task Stopped)> _stopping = [];
    private readonly Dictionary<CanaryId, (string Uid, long Generation)> _rejected = [];
    private IReadOnlyList<CanaryResource> _running = [];
    private int _started;

    /// <summary>Initializes a new instance of the <see cref="CanaryController"/> class; hosts usually resolve it through <c>AddCanaryController</c>.</summary>
    /// <param name="engine">The engine that runs each step; its status store must keep statuses on the Canary objects watched here.</param>
    /// <param name="api">The API the Canary objects are watched through.</param>
    /// <param name="elector">The controller's leader election.</param>
    /// <param name="options">Which canaries to run, or <see langword="null"/> for every canary.dev/v1 Canary in every namespace.</param>
    /// <param name="timeProvider">The clock of the loops, or <see langword="null"/> for the system clock.</param>
    /// <param name="loggerFactory">Where the controller and its watch log, or <see langword="null"/>.</param>
    /// <exception cref="ArgumentException">The options are invalid; the message names each property.</exception>
    public CanaryController(
        CanaryEngine engine,
        IKubernetesApi api,
        LeaseLeaderElector elector,
        CanaryControllerOptions? options = null,
        TimeProvider? timeProvider = null,
        ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(elector);
        options ??= new CanaryControllerOptions();
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException($"The CanaryControllerOptions are invalid: {string.Join("; ", errors)}", nameof(options));
        }

        _engine = engine;
        _api = api;
        _elector = elector;
        _options = options;
        _time = timeProvider ?? TimeProvider.System;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory?.CreateLogger<CanaryController>() ?? NullLogger<CanaryController>.Instance;
        _reporter = new InvalidSpecReporter(api, options, elector.Identity, _time);
        _scope = options.Namespace is { } only ? $"namespace {only}" : "all namespaces";
    }

    /// <summary>Raised after each step a loop ran, on that loop's task. Handlers should be quick; exceptions they throw are ignored.</summary>
    public event EventHandler<CanaryStepCompletedEventArgs>? StepCompleted;

    /// <summary>
    /// Raised once per generation of a Canary object whose spec cannot be run, on the controller's task, after the rejection was
    /// reported on the object (<see cref="CanaryControllerOptions.ReportInvalidSpecs"/>).
    /// </summary>
    public event EventHandler<CanarySpecRejectedEventArgs>? SpecRejected;

    /// <summary>Raised, on the controller's task, after <see cref="Canaries"/> changed: a loop started or stopped, or a spec changed.</summary>
    public event EventHandler? CanariesChanged;

    /// <summary>Gets the controller's leader election.</summary>
    public LeaseLeaderElector Elector => _elector;

    /// <summary>Gets the canaries whose loops run now, as their specs were last read: empty unless this replica leads.</summary>
    public IReadOnlyList<CanaryResource> Canaries => Volatile.Read(ref _running);

    /// <summary>Watches the Canary objects and runs their loops while this replica leads, until <paramref name="cancellationToken"/> is cancelled.</summary>
    /// <param name="cancellationToken">Stops the controller: running steps finish (within the shutdown timeout) and the Lease is released.</param>
    /// <returns>A task that completes when every loop has ended and the Lease is released.</returns>
    /// <exception cref="InvalidOperationException">The controller is already running.</exception>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _started, 1) == 1)
        {
            throw new InvalidOperationException("The canary controller is already running.");
        }

        var informer = new KubernetesInformer(_api, _options.CanaryResource, _options.Namespace, new KubernetesInformerOptions
        {
            LabelSelector = _options.LabelSelector,
            WatchTimeout = _options.WatchTimeout,
            MinBackoff = _options.MinBackoff,
            MaxBackoff = TimeSpan.FromSeconds(30),
            TimeProvider = _time,
            LoggerFactory = _loggerFactory,
        });
        informer.Changed += (_, _) => _wake.Writer.TryWrite(true);
        using var stopWatching = new CancellationTokenSource();
        var watching = Task.Run(() => informer.RunAsync(stopWatching.Token), CancellationToken.None);
        ControllerLog.Watching(_logger, _options.CanaryResource, _scope);
        try
        {
            await informer.WaitForSyncAsync(cancellationToken);
            while (!cancellationToken.IsCancellationRequested)
            {
                var next = _time.GetUtcNow() + _elector.RetryPeriod;
                if (await LeadsAsync(cancellationToken))
                {
                    await ReconcileAsync(informer.List(), cancellationToken);
                }
                else if (_loops.Count > 0 || _rejected.Count > 0)
                {
                    StopAll("this replica does not hold the Lease");
                }

                _stopping.RemoveAll(s => s.Stopped.IsCompleted);
                await WaitAsync(next, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping is what was asked for.
        }
        finally
        {
            if (_loops.Count > 0)
            {
                StopAll("the controller is stopping");
            }

            await Task.WhenAll(_stopping.Select(s => s.Stopped));
            _stopping.Clear();
            await stopWatching.CancelAsync();
            try
            {
                await watching;
            }
            catch (OperationCanceledException)
            {
                // The watch was asked to stop.
            }

            try
            {
                await _elector.ReleaseAsync(CancellationToken.None);
            }
            catch (Exception exception) when (exception is KubernetesException or HttpRequestException or IOException or TimeoutException or OperationCanceledException)
            {
                ControllerLog.ReleaseFailed(_logger, exception);
            }

            ControllerLog.Stopped(_logger);
            Volatile.Write(ref _started, 0);
        }
    }

    private async Task<bool> LeadsAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _elector.EnsureLeaderAsync(cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            ControllerLog.ElectionFailed(_logger, exception, _elector.RetryPeriod);

            // Leadership outlives a failed renewal until the renew deadline; the elector knows whether it still holds.
            return _elector.IsLeader;
        }
    }

    private async Task ReconcileAsync(IReadOnlyList<JsonObject> objects, CancellationToken cancellationToken)
    {
        var seen = new HashSet<CanaryId>();
        foreach (var obj in objects)
        {
            var id = CanaryObjects.Id(obj);
            if (id.Name.Length == 0 || CanaryObjects.IsDeleting(obj) || (_options.Canaries.Count > 0 && !_options.Canaries.Contains(id)))
            {
                continue;
            }

            seen.Add(id);
            var uid = KubernetesObject.GetUid(obj) ?? string.Empty;
            var generation = CanaryObjects.Generation(obj);
            _loops.TryGetValue(id, out var loop);

            // Status writes, the engine's own included, change the object but not its generation: nothing to do.
            if ((loop is not null && loop.Uid == uid && loop.Generation == generation)
                || (_rejected.TryGetValue(id, out var rejected) && rejected == (uid, generation)))
            {
                continue;
            }

            var (canary, errors) = CanaryObjects.Read(obj);
            if (canary is null)
            {
                if (loop is not null)
                {
                    Stop(loop, _options.ShutdownTimeout);
                }

                await RejectAsync(obj, id, uid, generation, errors, cancellationToken);
                continue;
            }

            var wasRejected = _rejected.Remove(id);
            if (wasRejected || CanaryObjects.IsMarkedInvalid(obj))
            {
                await ClearRejectionAsync(obj, id, generation, cancellationToken);
            }

            if (loop is not null && loop.Uid == uid)
            {
                ControllerLog.SpecChanged(_logger, id, generation);
                loop.Update(canary, generation);
                continue;
            }

            if (loop is not null)
            {
                // Deleted and created again under the same name: the old object's step has nothing left to act on.
                Stop(loop, TimeSpan.Zero);
            }

            Start(canary, uid, generation);
        }

        foreach (var loop in _loops.Values.Where(l => !seen.Contains(l.Id)).ToList())
        {
            ControllerLog.Deleted(_logger, loop.Id);
            Stop(loop, TimeSpan.Zero);
        }

        foreach (var id in _rejected.Keys.Where(id => !seen.Contains(id)).ToList())
        {
            _rejected.Remove(id);
        }

        Publish();
    }

    private void Start(CanaryResource canary, string uid, long generation)
    {
        var previous = Task.WhenAll(_stopping.Where(s => s.Id == canary.Id).Select(s => s.Stopped));
        _loops[canary.Id] = new CanaryLoop(canary, uid, generation, previous, _engine, _elector, _time, _logger, OnStepCompleted);
        ControllerLog.Started(_logger, canary.Id, generation, canary.Spec.Analysis.Interval);
    }

    private void Stop(CanaryLoop loop, TimeSpan grace)
    {
        _loops.Remove(loop.Id);
        _stopping.Add((loop.Id, loop.StopAsync(grace)));
    }

    private void StopAll(string reason)
    {
        ControllerLog.StoppedAll(_logger, _loops.Count, reason);
        foreach (var loop in _loops.Values.ToList())
        {
            Stop(loop, _options.ShutdownTimeout);
        }

        _rejected.Clear();
        Publish();
    }

    private void Publish()
    {
        var running = _loops.Values.Select(l => l.Canary)
            .OrderBy(c => c.Id.Namespace, StringComparer.Ordinal)
            .ThenBy(c => c.Id.Name, StringComparer.Ordinal)
            .ToList();
        var previous = Volatile.Read(ref _running);
        if (previous.Count == running.Count && previous.Zip(running).All(pair => ReferenceEquals(pair.First, pair.Second)))
        {
            return;
        }

        Volatile.Write(ref _running, running);
        Raise(CanariesChanged, EventArgs.Empty);
    }

    private async Task RejectAsync(JsonObject obj, CanaryId id, string uid, long generation, IReadOnlyList<Canary.Validation.ValidationError> errors, CancellationToken cancellationToken)
    {
        _rejected[id] = (uid, generation);
        if (_logger.IsEnabled(LogLevel.Warning))
        {
            ControllerLog.Invalid(_logger, id, generation, string.Join("; ", errors.Select(e => e.ToString())));
        }

        if (_options.ReportInvalidSpecs)
        {
            try
            {
                await _reporter.ReportAsync(obj, errors, cancellationToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                ControllerLog.ReportFailed(_logger, exception, id);
            }
        }

        Raise(SpecRejected, new CanarySpecRejectedEventArgs(id, generation, errors));
    }

    private async Task ClearRejectionAsync(JsonObject obj, CanaryId id, long generation, CancellationToken cancellationToken)
    {
        ControllerLog.ValidAgain(_logger, id, generation);
        if (!_options.ReportInvalidSpecs || !CanaryObjects.IsMarkedInvalid(obj))
        {
            return;
        }

        try
        {
            await _reporter.ClearAsync(obj, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            ControllerLog.ReportFailed(_logger, exception, id);
        }
    }

    private void OnStepCompleted(CanaryStepCompletedEventArgs step) => Raise(StepCompleted, step);

    private void Raise(EventHandler? handler, EventArgs args) => Raise<EventArgs>(handler is null ? null : new EventHandler<EventArgs>(handler), args);

    private void Raise<T>(EventHandler<T>? handler, T args)
    {
        try
        {
            handler?.Invoke(this, args);
        }
        catch (Exception exception)
        {
            // A host's handler must not stop a canary's loop, nor the controller.
            ControllerLog.HandlerFailed(_logger, exception, typeof(T));
        }
    }

    /// <summary>Waits until <paramref name="due"/>, or less when a Canary object changes.</summary>
    private async Task WaitAsync(DateTimeOffset due, CancellationToken cancellationToken)
    {
        var delay = due - _time.GetUtcNow();
        if (_wake.Reader.TryRead(out _) || delay <= TimeSpan.Zero)
        {
            return;
        }

        using var timer = new CancellationTokenSource(delay, _time);
        if (due <= _time.GetUtcNow())
        {
            // The clock passed the due time while the timer was made, which then counts its delay from too late.
            return;
        }

        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token);
        try
        {
            if (await _wake.Reader.WaitToReadAsync(wait.Token))
            {
                _wake.Reader.TryRead(out _);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Due.
        }
    }
}
