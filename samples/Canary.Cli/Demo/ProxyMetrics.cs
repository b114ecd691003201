using System.Collections.Concurrent;
using System.Globalization;
using Canary.Testing.Simulation;
using Canary.Workloads;

namespace Canary.Cli.Demo;

/// <summary>
/// What the <see cref="WeightedProxy"/> measured: cumulative counters and latency histograms per backend, pod and status, which
/// <see cref="WriteExposition"/> publishes in Prometheus' text format in the shapes of ingress-nginx, Traefik, Linkerd and an
/// app's own <c>http_request_duration_seconds</c> (so that every builtin query of Canary.Metrics works against a real Prometheus
/// scraping it), plus a sliding window per workload by time for <see cref="ProxyMetricProvider"/>.
/// </summary>
/// <remarks>Thread-safe: requests are recorded concurrently while scrapes and queries read.</remarks>
public sealed class ProxyMetrics
{
    /// <summary>The latency buckets of the histograms, in seconds: ingress-nginx's defaults.</summary>
    public static readonly IReadOnlyList<double> BucketBounds = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private static readonly TimeSpan SlotWidth = TimeSpan.FromSeconds(1);
    private readonly ConcurrentDictionary<SeriesKey, Series> _series = new();
    private readonly Dictionary<WorkloadRole, LinkedList<(long Slot, TrafficSample Sample)>> _slots = [];
    private readonly Lock _slotsGate = new();
    private readonly TimeProvider _timeProvider;
    private readonly long _retentionSlots;

    /// <summary>Initializes a new instance of the <see cref="ProxyMetrics"/> class.</summary>
    /// <param name="namespaceName">The namespace of the app behind the proxy.</param>
    /// <param name="service">The app's apex Service name, which identifies the canary the metrics belong to.</param>
    /// <param name="timeProvider">The clock of the sliding windows, or <see langword="null"/> for the system clock.</param>
    /// <param name="retention">How far back the sliding windows reach; the default is 15 minutes.</param>
    /// <exception cref="ArgumentException">A name is empty or the retention is shorter than a second.</exception>
    public ProxyMetrics(string namespaceName, string service, TimeProvider? timeProvider = null, TimeSpan? retention = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(namespaceName);
        ArgumentException.ThrowIfNullOrWhiteSpace(service);
        var keep = retention ?? TimeSpan.FromMinutes(15);
        if (keep < SlotWidth)
        {
            throw new ArgumentException($"retention must be at least {SlotWidth.TotalSeconds} second, not {keep}.", nameof(retention));
        }

        Namespace = namespaceName;
        Service = service;
        Retention = keep;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _retentionSlots = (long)Math.Ceiling(keep / SlotWidth);
    }

    /// <summary>Gets the namespace of the app behind the proxy.</summary>
    public string Namespace { get; }

    /// <summary>Gets the app's apex Service name.</summary>
    public string Service { get; }

    /// <summary>Gets how far back the sliding windows reach.</summary>
    public TimeSpan Retention { get; }

    /// <summary>Gets the total number of requests recorded.</summary>
    public long TotalRequests => _series.Values.Sum(series => series.Snapshot().Count);

    /// <summary>Records one request.</summary>
    /// <param name="request">The request.</param>
    public void Record(ProxyRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var key = new SeriesKey(request.Ingress, request.Host, request.Method, request.Path, request.Service, request.ServicePort, request.Pod, request.Deployment, request.Role, request.Status);
        _series.GetOrAdd(key, static _ => new Series()).Record(request.Duration);
        if (request.Role is not { } role)
        {
            return;
        }

        var slot = CurrentSlot();
        lock (_slotsGate)
        {
            if (!_slots.TryGetValue(role, out var slots))
            {
                _slots[role] = slots = new LinkedList<(long, TrafficSample)>();
            }

            while (slots.First is { } oldest && oldest.Value.Slot <= slot - _retentionSlots)
            {
                slots.RemoveFirst();
            }

            // Slots are appended in time order; a request that finished a hair earlier than the last one goes into that slot.
            if (slots.Last is not { } last || last.Value.Slot < slot)
            {
                slots.AddLast((slot, new TrafficSample()));
            }

            slots.Last!.Value.Sample.Record(request.Status >= 500, request.Duration.TotalMilliseconds);
        }
    }

    /// <summary>Returns what one workload served over the last <paramref name="window"/>, to the second.</summary>
    /// <param name="role">The workload.</param>
    /// <param name="window">How far back to look; at most <see cref="Retention"/> counts.</param>
    /// <returns>A new sample with the requests, the 5xx answers and the latencies of the window.</returns>
    public TrafficSample Window(WorkloadRole role, TimeSpan window)
    {
        var slots = Math.Max(1, (long)Math.Ceiling(window / SlotWidth));
        var first = CurrentSlot() - slots + 1;
        var total = new TrafficSample();
        lock (_slotsGate)
        {
            if (_slots.TryGetValue(role, out var recorded))
            {
                foreach (var (slot, sample) in recorded)
                {
                    if (slot >= first)
                    {
                        total.Add(sample);
                    }
                }
            }
        }

        return total;
    }

    /// <summary>Writes every series in Prometheus' text exposition format (version 0.0.4).</summary>
    /// <param name="writer">Where to write.</param>
    public void WriteExposition(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var series = _series.Select(pair => (pair.Key, Counts: pair.Value.Snapshot())).ToList();
        var exposition = new PrometheusExposition(writer, BucketBounds);
        string Upstream(SeriesKey key) => $"{Namespace}-{key.Service}-{key.ServicePort.ToString(CultureInfo.InvariantCulture)}";

        // ingress-nginx: the canary label names the canary upstream when the canary served the request, and is empty otherwise.
        (string, string)[] Nginx(SeriesKey key) =>
        [
            ("canary", key.Role == WorkloadRole.Canary && key.Service is not null ? Upstream(key) : string.Empty),
            ("host", key.Host),
            ("ingress", key.Ingress),
            ("method", key.Method),
            ("namespace", Namespace),
            ("path", key.Path),
            ("service", key.Service ?? string.Empty),
            ("status", Status(key.Status)),
        ];
        exposition.Counter("nginx_ingress_controller_requests", "The total number of client requests.", series, Nginx);
        exposition.Histogram("nginx_ingress_controller_request_duration_seconds", "The request processing time in seconds.", series, Nginx);
        exposition.Histogram("nginx_ingress_controller_response_duration_seconds", "The time spent receiving the response from the upstream server in seconds.", series.Where(s => s.Key.Pod is not null), Nginx);

        // Traefik: one series per Kubernetes Service behind a TraefikService, named namespace-service-port@kubernetescrd.
        exposition.Histogram(
            "traefik_service_request_duration_seconds",
            "How long it took to process the request on a service, partitioned by status code, protocol, and method.",
            series.Where(s => s.Key.Service is not null),
            key => [("code", Status(key.Status)), ("method", key.Method), ("protocol", "http"), ("service", $"{Upstream(key)}@kubernetescrd")]);

        // Linkerd's proxy, inbound side: per Deployment, latency in milliseconds.
        var served = series.Where(s => s.Key.Deployment is not null).ToList();
        (string, string)[] Linkerd(SeriesKey key, bool classify) => classify
            ?
            [
                ("classification", key.Status >= 500 ? "failure" : "success"), ("deployment", key.Deployment!), ("direction", "inbound"),
                ("namespace", Namespace), ("status_code", Status(key.Status)),
            ]
            : [("deployment", key.Deployment!), ("direction", "inbound"), ("namespace", Namespace), ("status_code", Status(key.Status))];
        exposition.Counter("response_total", "A counter of the number of responses.", served, key => Linkerd(key, classify: true));
        exposition.Histogram("response_latency_ms", "Elapsed times between a request's headers being received and its response stream completing.", served, key => Linkerd(key, classify: false), scale: 1000);

        // The app's own histogram, as the kubernetes-pods scrape job labels it: what the http-based builtin queries read.
        exposition.Histogram(
            "http_request_duration_seconds",
            "The duration of HTTP requests served by the app, in seconds.",
            served.Where(s => s.Key.Pod is not null),
            key => [("kubernetes_namespace", Namespace), ("kubernetes_pod_name", key.Pod!), ("method", key.Method), ("path", key.Path), ("status", Status(key.Status))]);
    }

    /// <summary>Returns <see cref="WriteExposition"/>'s text.</summary>
    /// <returns>The exposition.</returns>
    public string Exposition()
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        WriteExposition(writer);
        return writer.ToString();
    }

    private static string Status(int status) => status.ToString(CultureInfo.InvariantCulture);

    private long CurrentSlot() => _timeProvider.GetUtcNow().UtcTicks / SlotWidth.Ticks;

    internal readonly record struct SeriesKey(
        string Ingress,
        string Host,
        string Method,
        string Path,
        string? Service,
        int ServicePort,
        string? Pod,
        string? Deployment,
        WorkloadRole? Role,
        int Status);

    /// <summary>A cumulative histogram: per-bucket counts (the last one +Inf), the count and the sum in seconds.</summary>
    internal sealed record SeriesCounts(long[] Buckets, long Count, double SumSeconds);

    private sealed class Series
    {
        private readonly Lock _gate = new();
        private readonly long[] _buckets = new long[BucketBounds.Count + 1];
        private long _count;
        private double _sum;

        public void Record(TimeSpan duration)
        {
            var seconds = Math.Max(0, duration.TotalSeconds);
            var index = 0;
            while (index < BucketBounds.Count && seconds > BucketBounds[index])
            {
                index++;
            }

            lock (_gate)
            {
                _buckets[index]++;
                _count++;
                _sum += seconds;
            }
        }

        public SeriesCounts Snapshot()
        {
            lock (_gate)
            {
                return new SeriesCounts((long[])_buckets.Clone(), _count, _sum);
            }
        }
    }
}
