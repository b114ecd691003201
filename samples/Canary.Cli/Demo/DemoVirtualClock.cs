using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Canary.Kubernetes.Client;
using Canary.Testing.Kubernetes;
using Canary.Testing.Time;

namespace Canary.Cli.Demo;

/// <summary>
/// Virtual time for a <see cref="DemoEnvironment"/> started with <see cref="DemoEnvironmentOptions.VirtualTime"/>: the engine, its
/// runner, the fake API server, the cluster, the proxy's metrics and the users all wait on one <see cref="ManualTimeProvider"/>,
/// which this clock moves itself, one <see cref="Tick"/> at a time, so that many minutes of analysis take seconds.
/// </summary>
/// <remarks>
/// <para>Each tick: first everything settles — the engine's runner (and any other piece on a <see cref="VirtualActor"/>) waits on
/// the clock again, the cluster has applied every change, and every informer (the cluster's, the proxy's) has handled every event
/// the API server has stored; then the users send that tick's requests (rate × tick, the fractions carried over), each a real HTTP
/// request through the proxy to a pod, and all are answered; then the clock moves by the tick, and the timers that fall due
/// (engine steps, looks, readiness delays, watch timeouts) fire. The clock does not move while anything is at work, so no
/// request or step ever sees it jump.</para>
/// <para>The pods do not wait out their latency on this clock (that wait would end only when the clock moves, which it does only
/// when every request is answered): they answer at once and state the latency in <see cref="DemoPod.LatencyHeader"/>, and the
/// proxy records it as the request's duration.</para>
/// </remarks>
public sealed class DemoVirtualClock
{
    private static readonly TimeSpan SettleTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(1);
    private readonly FakeKubernetesApiServer _server;
    private readonly DemoCluster _cluster;
    private readonly WeightedProxy _proxy;
    private readonly string _namespace;
    private readonly List<VirtualActor> _actors = [];
    private readonly Lock _actorsGate = new();
    private readonly List<Load> _loads = [];
    private readonly long _started;
    private long _settledRevision = -1;

    internal DemoVirtualClock(ManualTimeProvider time, TimeSpan tick, FakeKubernetesApiServer server, DemoCluster cluster, WeightedProxy proxy, string namespaceName)
    {
        Time = time;
        Tick = tick;
        _server = server;
        _cluster = cluster;
        _proxy = proxy;
        _namespace = namespaceName;
        _started = time.GetTimestamp();
    }

    /// <summary>Gets the clock everything waits on.</summary>
    public ManualTimeProvider Time { get; }

    /// <summary>Gets how far the clock moves at once: one second, the width of the proxy's metric slots.</summary>
    public TimeSpan Tick { get; }

    /// <summary>Gets how much virtual time has passed since the environment started.</summary>
    public TimeSpan Elapsed => Time.GetElapsedTime(_started);

    /// <summary>Gets the most virtual time <see cref="RunUntilAsync{T}"/> lets a piece of work take before it gives up.</summary>
    public TimeSpan MaxRun { get; init; } = TimeSpan.FromHours(6);

    /// <summary>
    /// Moves the clock tick by tick, with the users' requests of every tick, until <paramref name="work"/> completes; the work must
    /// wait on the clock through a piece created with <see cref="CreateActor"/> before it started, so that the clock never moves
    /// while it is at work.
    /// </summary>
    /// <typeparam name="T">The work's result.</typeparam>
    /// <param name="work">The work, already started.</param>
    /// <param name="cancellationToken">Stops driving the clock.</param>
    /// <returns>The work's result.</returns>
    /// <exception cref="TimeoutException">The work did not end within <see cref="MaxRun"/> of virtual time, or the demo did not settle.</exception>
    public async Task<T> RunUntilAsync<T>(Task<T> work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        var started = Time.GetTimestamp();
        while (true)
        {
            await SettleAsync(cancellationToken);
            if (work.IsCompleted)
            {
                return await work;
            }

            if (Time.GetElapsedTime(started) > MaxRun)
            {
                throw new TimeoutException($"The demo's work did not end within {MaxRun.TotalHours.ToString(CultureInfo.InvariantCulture)} hours of virtual time.");
            }

            await SendTickAsync(cancellationToken);
            Time.Advance(Tick);
        }
    }

    /// <summary>Returns a view of the clock for one sequential piece of work, which holds the clock back while that piece is at work.</summary>
    internal VirtualActor CreateActor()
    {
        var actor = new VirtualActor(Time);
        lock (_actorsGate)
        {
            _actors.RemoveAll(a => a.IsFinished);
            _actors.Add(actor);
        }

        return actor;
    }

    /// <summary>Adds users whose requests are sent each tick: <paramref name="requestsPerSecond"/> × tick, until <paramref name="stop"/>.</summary>
    internal void AddLoad(LoadGenerator generator, double requestsPerSecond, CancellationToken stop) =>
        _loads.Add(new Load(generator, requestsPerSecond, stop));

    private bool ActorsIdle
    {
        get
        {
            lock (_actorsGate)
            {
                return _actors.TrueForAll(actor => actor.IsIdle);
            }
        }
    }

    private IEnumerable<KubernetesInformer> Informers => _cluster.Informers.Concat(_proxy.Informers);

    private long Revision => long.Parse(_server.CurrentResourceVersion, CultureInfo.InvariantCulture);

    private async Task SendTickAsync(CancellationToken cancellationToken)
    {
        var sends = new List<Task>();
        foreach (var load in _loads)
        {
            if (load.Stop.IsCancellationRequested)
            {
                continue;
            }

            load.Owed += load.RequestsPerSecond * Tick.TotalSeconds;
            var count = (int)Math.Floor(load.Owed);
            load.Owed -= count;
            sends.Add(SendAsync(load, count, cancellationToken));
        }

        await Task.WhenAll(sends);
    }

    private static async Task SendAsync(Load load, int count, CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, load.Stop);
        try
        {
            await load.Generator.SendAsync(count, linked.Token);
        }
        catch (OperationCanceledException) when (load.Stop.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // The traffic was stopped: its last requests are abandoned, as a running load generator's are.
        }
    }

    /// <summary>
    /// Waits until the pieces on the clock wait on it again, the cluster is idle, and every informer has handled every event the API
    /// server has stored, and nothing has changed meanwhile.
    /// </summary>
    private async Task SettleAsync(CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.GetTimestamp();
        while (true)
        {
            await WaitUntilAsync(() => ActorsIdle && _cluster.IsIdle, () => $"the engine (idle: {ActorsIdle}) and the cluster (idle: {_cluster.IsIdle}) to finish their work", deadline, cancellationToken);
            if (Revision == _settledRevision)
            {
                return;
            }

            // An informer raises its change after it records the event's revision, so catching up to the last stored revision would
            // not prove the change was handled; a later revision, delivered by a bookmark after that event, does.
            _server.PutObject(Marker());
            var target = Revision;
            var polls = 0;
            await WaitUntilAsync(
                () =>
                {
                    if (polls++ % 10 == 0)
                    {
                        _server.SendBookmarks();
                    }

                    return Informers.All(informer => long.TryParse(informer.LastResourceVersion, NumberStyles.None, CultureInfo.InvariantCulture, out var seen) && seen >= target);
                },
                () => $"the cluster and the proxy to see every change up to {target} (seen: {string.Join(", ", Informers.Select(i => $"{i.Resource.Plural} {i.LastResourceVersion}"))})",
                deadline,
                cancellationToken);
            _settledRevision = target;
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition, Func<string> what, long since, CancellationToken cancellationToken)
    {
        while (!condition())
        {
            if (Stopwatch.GetElapsedTime(since) > SettleTimeout)
            {
                throw new TimeoutException($"The demo on virtual time waited more than {SettleTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)}s (wall time) for {what()}.");
            }

            await Task.Delay(Poll, TimeProvider.System, cancellationToken);
        }
    }

    // A ConfigMap that nothing watches, rewritten to move the store's revision past every event an informer must have handled.
    private JsonObject Marker() => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "ConfigMap",
        ["metadata"] = new JsonObject { ["name"] = "canary-demo-clock", ["namespace"] = _namespace },
        ["data"] = new JsonObject { ["now"] = Time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture) },
    };

    private sealed class Load(LoadGenerator generator, double requestsPerSecond, CancellationToken stop)
    {
        public LoadGenerator Generator { get; } = generator;

        public double RequestsPerSecond { get; } = requestsPerSecond;

        public CancellationToken Stop { get; } = stop;

        public double Owed { get; set; }
    }
}
