using System.Collections.Concurrent;
using System.Globalization;
using System.Threading.Channels;
using Canary.Cli.Demo;
using Canary.Kubernetes.Client;
using Canary.Model;
using Microsoft.Extensions.Logging;

namespace Canary.Cli.Sandbox;

/// <summary>
/// The users of the sandbox: for each canary the controller runs, a <see cref="WeightedProxy"/> that routes by the canary's
/// provider objects to the pods of its namespace, a <see cref="LoadGenerator"/> that sends it requests, and the proxy's
/// measurements for the builtin metrics. Traffic starts when a canary's loop starts, and stops when it stops.
/// </summary>
internal sealed class SandboxTraffic : IAsyncDisposable
{
    private readonly IKubernetesApi _api;
    private readonly SandboxClusters _clusters;
    private readonly SandboxOptions _options;
    private readonly TextWriter _output;
    private readonly ILoggerFactory? _loggerFactory;
    private readonly Channel<IReadOnlyList<CanaryResource>> _wanted = Channel.CreateBounded<IReadOnlyList<CanaryResource>>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    private readonly ConcurrentDictionary<CanaryId, CanaryTraffic> _running = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public SandboxTraffic(IKubernetesApi api, SandboxClusters clusters, SandboxOptions options, TextWriter output, ILoggerFactory? loggerFactory)
    {
        _api = api;
        _clusters = clusters;
        _options = options;
        _output = output;
        _loggerFactory = loggerFactory;
        _loop = Task.Run(LoopAsync, CancellationToken.None);
    }

    /// <summary>Returns the proxy's measurements of a canary's requests, when it has traffic.</summary>
    public ProxyMetricProvider? MetricsOf(CanaryId id) => _running.TryGetValue(id, out var traffic) ? traffic.Metrics : null;

    /// <summary>Returns the proxy of a canary, when it has traffic.</summary>
    public WeightedProxy? ProxyOf(CanaryId id) => _running.TryGetValue(id, out var traffic) ? traffic.Proxy : null;

    /// <summary>Brings the traffic in line with the canaries the controller runs now; the work happens on the traffic's own task.</summary>
    public void Follow(IReadOnlyList<CanaryResource> canaries) => _wanted.Writer.TryWrite(canaries);

    public async ValueTask DisposeAsync()
    {
        _wanted.Writer.TryComplete();
        await _stop.CancelAsync();
        await _loop;
        foreach (var traffic in _running.Values)
        {
            await traffic.DisposeAsync();
        }

        _running.Clear();
        _stop.Dispose();
    }

    private async Task LoopAsync()
    {
        try
        {
            await foreach (var canaries in _wanted.Reader.ReadAllAsync(_stop.Token))
            {
                await ReconcileAsync(canaries);
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Disposed.
        }
    }

    private async Task ReconcileAsync(IReadOnlyList<CanaryResource> canaries)
    {
        var wanted = canaries.ToDictionary(c => c.Id, Describe);
        foreach (var (id, traffic) in _running.ToList())
        {
            if (!wanted.TryGetValue(id, out var shape) || shape != traffic.Shape)
            {
                _running.TryRemove(id, out _);
                await traffic.DisposeAsync();
            }
        }

        foreach (var (id, shape) in wanted.Where(pair => !_running.ContainsKey(pair.Key)))
        {
            try
            {
                var traffic = await StartAsync(id, shape);
                _running[id] = traffic;
                _output.WriteLine($"Users of {id}: {_options.RequestsPerSecond.ToString(CultureInfo.InvariantCulture)} requests a second for {traffic.Host}, "
                    + $"routed by the {shape.Provider} objects: curl -H 'Host: {traffic.Host}' {traffic.Proxy.Address}");
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !_stop.IsCancellationRequested)
            {
                _output.WriteLine($"warn  no traffic for {id}: {exception.Message}");
            }
        }
    }

    private TrafficShape Describe(CanaryResource canary) => new(
        canary.Spec.Provider ?? _options.Provider,
        canary.Spec.TargetRef.Name,
        canary.Spec.Service.Name ?? canary.Spec.TargetRef.Name,
        canary.Spec.IngressRef?.Name,
        canary.Spec.Service.Hosts.Count > 0 ? canary.Spec.Service.Hosts[0] : null);

    private async Task<CanaryTraffic> StartAsync(CanaryId id, TrafficShape shape)
    {
        var cluster = await _clusters.GetAsync(id.Namespace);
        var proxy = new WeightedProxy(_api, cluster, new WeightedProxyOptions
        {
            Provider = shape.Provider,
            Namespace = id.Namespace,
            TargetName = shape.Target,
            ServiceName = shape.Service,
            IngressName = shape.Ingress,
            Seed = _options.Seed,
            LoggerFactory = _loggerFactory,
        });
        try
        {
            await proxy.StartAsync(_stop.Token);
            var host = shape.Host ?? await IngressHostAsync(id, shape) ?? $"{shape.Service}.{id.Namespace}";
            var traffic = new CanaryTraffic(shape, proxy, host);
            traffic.Start(host, _options.RequestsPerSecond, _options.Seed);

            // Without a split, only requests straight to the canary's Service give the analysis something to judge.
            if (TrafficProviders.BaseName(shape.Provider) == TrafficProviders.Kubernetes)
            {
                traffic.Start($"{shape.Service}-canary.{id.Namespace}", 10, _options.Seed + 1);
            }

            return traffic;
        }
        catch
        {
            await proxy.DisposeAsync();
            throw;
        }
    }

    /// <summary>The first host of the canary's Ingress, which the users of an NGINX canary address.</summary>
    private async Task<string?> IngressHostAsync(CanaryId id, TrafficShape shape)
    {
        if (shape.Ingress is not { } name)
        {
            return null;
        }

        var ingress = await _api.TryGetAsync(ResourceType.Ingresses, id.Namespace, name, _stop.Token);
        return ingress?["spec"]?["rules"]?[0]?["host"]?.GetValue<string>();
    }

    /// <summary>What the traffic of a canary depends on: when it changes, the traffic starts afresh.</summary>
    private sealed record TrafficShape(string Provider, string Target, string Service, string? Ingress, string? Host);

    /// <summary>One canary's proxy and users.</summary>
    private sealed class CanaryTraffic(TrafficShape shape, WeightedProxy proxy, string host) : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly List<(LoadGenerator Generator, Task Run)> _loads = [];

        public TrafficShape Shape { get; } = shape;

        public WeightedProxy Proxy { get; } = proxy;

        public string Host { get; } = host;

        public ProxyMetricProvider Metrics { get; } = new(proxy.Metrics);

        public void Start(string host, double requestsPerSecond, int seed)
        {
            var generator = new LoadGenerator(Proxy.Address, new LoadGeneratorOptions { RequestsPerSecond = requestsPerSecond, MaxConcurrency = 8, Host = host, Seed = seed });
            _loads.Add((generator, generator.RunAsync(_stop.Token)));
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            foreach (var (generator, run) in _loads)
            {
                await run;
                generator.Dispose();
            }

            await Proxy.DisposeAsync();
            _stop.Dispose();
        }
    }
}
