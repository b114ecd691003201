using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Canary.Cli.Demo;

/// <summary>
/// One replica of a small podinfo-like app, served by a real Kestrel server on 127.0.0.1 (a free port). <c>GET /</c> answers
/// JSON with the pod's name and version after the behaviour's latency, or 500 for the behaviour's share of requests;
/// <c>/healthz</c> and <c>/readyz</c> always answer 200, as an app whose faults do not show in its probes. The behaviour can be
/// changed while the pod runs, and its randomness is seeded, so a run can be repeated.
/// </summary>
public sealed class DemoPod : IAsyncDisposable
{
    /// <summary>
    /// The response header in which a pod that <see cref="ReportsLatency"/> states the latency it simulated, in milliseconds
    /// (invariant culture); the <see cref="WeightedProxy"/> adds it to the time it measured.
    /// </summary>
    public const string LatencyHeader = "X-Demo-Latency-Ms";

    private static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(2);
    private readonly Random _random;
    private readonly Lock _randomGate = new();
    private readonly TimeProvider _timeProvider;
    private DemoPodBehavior _behavior;
    private LoopbackServer? _server;
    private long _requests;
    private long _errors;

    /// <summary>Initializes a new instance of the <see cref="DemoPod"/> class; call <see cref="StartAsync"/> to serve.</summary>
    /// <param name="name">The pod's name, which its answers carry as <c>hostname</c>.</param>
    /// <param name="version">The app version the pod runs, which its answers carry as <c>version</c>.</param>
    /// <param name="behavior">How it answers.</param>
    /// <param name="seed">The seed of its error and latency draws.</param>
    /// <param name="timeProvider">The clock its latency waits on, or <see langword="null"/> for the system clock.</param>
    /// <exception cref="ArgumentException">A name or version is empty, or the behaviour is invalid.</exception>
    public DemoPod(string name, string version, DemoPodBehavior behavior, int seed, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(version);
        ArgumentNullException.ThrowIfNull(behavior);
        behavior.EnsureValid(nameof(behavior));
        Name = name;
        Version = version;
        _behavior = behavior;
        _random = new Random(seed);
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Gets the pod's name.</summary>
    public string Name { get; }

    /// <summary>Gets the app version the pod runs.</summary>
    public string Version { get; }

    /// <summary>Gets the Deployment the pod belongs to, or <see langword="null"/> for a pod on its own.</summary>
    public string? Deployment { get; init; }

    /// <summary>
    /// Gets a value indicating whether the pod answers at once and states the behaviour's latency in <see cref="LatencyHeader"/>
    /// instead of waiting it out: on virtual time, a wait on the clock would last until the clock moves, which it does only once
    /// every request of the tick is answered.
    /// </summary>
    public bool ReportsLatency { get; init; }

    /// <summary>Gets the pod's labels, which Service selectors match.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>Gets or sets how the pod answers; a change applies to the requests that arrive after it.</summary>
    /// <exception cref="ArgumentException">The behaviour is invalid.</exception>
    public DemoPodBehavior Behavior
    {
        get => Volatile.Read(ref _behavior);
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            value.EnsureValid(nameof(value));
            Volatile.Write(ref _behavior, value);
        }
    }

    /// <summary>Gets the pod's address, for example <c>http://127.0.0.1:41234/</c>.</summary>
    /// <exception cref="InvalidOperationException">The pod has not been started.</exception>
    public Uri Address => _server?.Addresses[0] ?? throw new InvalidOperationException($"The demo pod {Name} has not been started; call StartAsync first.");

    /// <summary>Gets how many requests to <c>/</c> the pod has answered.</summary>
    public long RequestCount => Interlocked.Read(ref _requests);

    /// <summary>Gets how many requests to <c>/</c> the pod has answered with 500.</summary>
    public long ErrorCount => Interlocked.Read(ref _errors);

    /// <summary>Starts serving on 127.0.0.1 on a free port.</summary>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>A task that completes when the pod accepts connections.</returns>
    /// <exception cref="InvalidOperationException">The pod was already started.</exception>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (_server is not null)
        {
            throw new InvalidOperationException($"The demo pod {Name} is already started.");
        }

        _server = await LoopbackServer.StartAsync(HandleAsync, ShutdownTimeout, cancellationToken: cancellationToken);
    }

    /// <summary>Stops the pod: it accepts no more connections and lets requests in flight finish.</summary>
    /// <returns>A task that completes when the port is free.</returns>
    public async ValueTask DisposeAsync()
    {
        if (_server is { } server)
        {
            _server = null;
            await server.DisposeAsync();
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        switch (context.Request.Path.Value)
        {
            case "/healthz" or "/readyz":
                await WriteJsonAsync(context, StatusCodes.Status200OK, new JsonObject { ["status"] = "OK" });
                return;
            case "/version":
                await WriteJsonAsync(context, StatusCodes.Status200OK, new JsonObject { ["version"] = Version });
                return;
            case "/" or "":
                await ServeRootAsync(context);
                return;
            default:
                await WriteJsonAsync(context, StatusCodes.Status404NotFound, new JsonObject { ["error"] = "not found", ["version"] = Version });
                return;
        }
    }

    private async Task ServeRootAsync(HttpContext context)
    {
        var behavior = Behavior;
        bool fail;
        TimeSpan delay;
        lock (_randomGate)
        {
            (fail, delay) = behavior.Draw(_random.NextDouble(), _random.NextDouble());
        }

        if (ReportsLatency)
        {
            context.Response.Headers[LatencyHeader] = delay.TotalMilliseconds.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        }
        else if (delay > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(delay, _timeProvider, context.RequestAborted);
            }
            catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
            {
                return;
            }
        }

        Interlocked.Increment(ref _requests);
        var answer = new JsonObject { ["hostname"] = Name, ["version"] = Version };
        if (fail)
        {
            Interlocked.Increment(ref _errors);
            answer["error"] = "injected failure";
            await WriteJsonAsync(context, StatusCodes.Status500InternalServerError, answer);
            return;
        }

        answer["message"] = $"greetings from podinfo v{Version}";
        await WriteJsonAsync(context, StatusCodes.Status200OK, answer);
    }

    private static Task WriteJsonAsync(HttpContext context, int statusCode, JsonObject body)
    {
        context.Response.StatusCode = statusCode;
        context.Response.ContentType = "application/json; charset=utf-8";
        return context.Response.WriteAsync(body.ToJsonString(), context.RequestAborted);
    }
}
