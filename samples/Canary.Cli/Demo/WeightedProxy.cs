using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Canary.Kubernetes.Client;
using Canary.Model;
using Canary.Workloads;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Canary.Cli.Demo;

/// <summary>
/// A real reverse proxy on 127.0.0.1 that routes each request the way the chosen provider's objects in the Kubernetes API say
/// (an NGINX canary Ingress, a TraefikService, an SMI TrafficSplit, an HTTPRoute, or the ready replicas behind one Service), to
/// the <see cref="DemoPod"/>s that the <see cref="DemoCluster"/> runs behind the chosen Service, and measures every request.
/// </summary>
/// <remarks>
/// <para>The routing objects are followed with a <see cref="KubernetesInformer"/> per resource type: a change arrives by watch,
/// and the routes are rebuilt from the cache at once, so the proxy never polls and every request sees one consistent version.</para>
/// <para>A Service name resolves to pods through the Service's selector when the Service exists, and otherwise by the
/// routers' naming: <c>SERVICE-primary</c> to the pods of <c>TARGET-primary</c>, <c>SERVICE-canary</c> to those of
/// <c>TARGET</c>, and the apex <c>SERVICE</c> to both for label-ratio, else to the primary's (the target's before there is a
/// primary). A Service with no ready pods gets 503; a pod that cannot be reached gets 502.</para>
/// <para>A request whose Host is the in-cluster name of the primary or canary Service (<c>podinfo-canary.test</c>) goes straight
/// to that Service, past the routing objects, as a load tester inside the cluster would reach it.</para>
/// <para>For an HTTPRoute, the proxy also plays the gateway (or mesh) controller: it reports the route it obeys as Accepted by
/// its parents for each generation it has read (<see cref="WeightedProxyOptions.AcceptRoutes"/>).</para>
/// <para>Two listeners: <see cref="Address"/> for traffic and <see cref="MetricsAddress"/> for <c>/metrics</c>, as ingress-nginx
/// serves its metrics apart from the traffic.</para>
/// </remarks>
public sealed class WeightedProxy : IAsyncDisposable
{
    // What ingress-nginx records for a client that went away before the answer.
    private const int ClientClosedRequest = 499;

    private static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(2);
    private static readonly HashSet<string> HopByHop = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Proxy-Authenticate", "Proxy-Authorization", "Proxy-Connection", "TE", "Trailer", "Transfer-Encoding", "Upgrade",
    };

    private readonly IKubernetesApi _api;
    private readonly DemoCluster _cluster;
    private readonly RouteSettings _settings;
    private readonly string _providerBase;
    private readonly List<KubernetesInformer> _informers;
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _upstreamTimeout;
    private readonly ILogger _logger;
    private readonly LockedRandom _random;
    private readonly RouteContext _context;
    private readonly HttpMessageInvoker _client;
    private readonly CancellationTokenSource _stop = new();
    private readonly ChangeSignal _changed = new();
    private readonly Lock _planGate = new();
    private readonly EventHandler _podsChanged;
    private readonly RouteAcceptor? _acceptor;
    private RoutePlan _plan;
    private LoopbackServer? _server;
    private Task _informerTasks = Task.CompletedTask;
    private int _trafficPort;

    /// <summary>Initializes a new instance of the <see cref="WeightedProxy"/> class; call <see cref="StartAsync"/> to serve.</summary>
    /// <param name="api">The Kubernetes API the routing objects are read from.</param>
    /// <param name="cluster">The pods behind the Services.</param>
    /// <param name="options">The provider and the names of the app's objects.</param>
    /// <exception cref="ArgumentException">The options are invalid; the message names each property.</exception>
    public WeightedProxy(IKubernetesApi api, DemoCluster cluster, WeightedProxyOptions options)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException($"The WeightedProxyOptions are invalid: {string.Join("; ", errors)}", nameof(options));
        }

        _api = api;
        _cluster = cluster;
        _providerBase = TrafficProviders.BaseName(options.Provider);
        Provider = options.Provider;
        var service = options.ResolvedService;
        _settings = new RouteSettings(
            _providerBase, options.Namespace, options.TargetName, service, options.IngressName ?? service, options.RouteName ?? service,
            options.ServicePort, options.NginxAnnotationPrefix);
        _timeProvider = options.TimeProvider ?? TimeProvider.System;
        _upstreamTimeout = options.UpstreamTimeout;
        _logger = options.LoggerFactory?.CreateLogger("Canary.Cli.Demo.WeightedProxy") ?? NullLogger.Instance;
        _random = new LockedRandom(options.Seed);
        _context = new RouteContext(_random, name => Endpoints(name).Count);
        Metrics = new ProxyMetrics(options.Namespace, service, _timeProvider);
        Resources = ResourcesFor(options);
        var informerOptions = new KubernetesInformerOptions
        {
            MinBackoff = TimeSpan.FromMilliseconds(100),
            MaxBackoff = TimeSpan.FromSeconds(2),
            TimeProvider = _timeProvider,
            LoggerFactory = options.LoggerFactory,
        };
        _informers = Resources.Select(resource => new KubernetesInformer(api, resource, options.Namespace, informerOptions)).ToList();
        foreach (var informer in _informers)
        {
            informer.Changed += (_, _) => Rebuild();
        }

        if (options.AcceptRoutes && Resources.Count > 0 && Resources[0].Kind == "HTTPRoute")
        {
            var acceptor = _acceptor = new RouteAcceptor(api, Resources[0], options.Namespace, _settings.Route, _timeProvider, _logger);
            _informers[0].Changed += (_, change) =>
            {
                if (change.Type != WatchEventType.Deleted)
                {
                    _ = acceptor.AcceptAsync(change.Object, _stop.Token);
                }
            };
        }

        _podsChanged = (_, _) => _changed.Notify();
        cluster.PodsChanged += _podsChanged;
        _plan = BuildPlan();
        _client = new HttpMessageInvoker(new SocketsHttpHandler
        {
            UseCookies = false,
            AllowAutoRedirect = false,
            UseProxy = false,
            AutomaticDecompression = DecompressionMethods.None,
            ConnectTimeout = TimeSpan.FromSeconds(2),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(15),
        });
    }

    /// <summary>Gets the provider whose objects the proxy obeys.</summary>
    public string Provider { get; }

    /// <summary>Gets the resource types the proxy watches: the routing object's, and HTTPRouteGroups for SMI v1alpha3 and later.</summary>
    public IReadOnlyList<ResourceType> Resources { get; }

    /// <summary>Gets what the proxy measured.</summary>
    public ProxyMetrics Metrics { get; }

    /// <summary>Gets the address that takes traffic, for example <c>http://127.0.0.1:41234/</c>.</summary>
    /// <exception cref="InvalidOperationException">The proxy has not been started.</exception>
    public Uri Address => _server?.Addresses[0] ?? throw NotStarted();

    /// <summary>Gets the address whose <c>/metrics</c> serves the measurements in Prometheus' text format.</summary>
    /// <exception cref="InvalidOperationException">The proxy has not been started.</exception>
    public Uri MetricsAddress => _server?.Addresses[1] ?? throw NotStarted();

    /// <summary>Gets the informers that follow the routing objects, for a driver of virtual time that waits until they caught up.</summary>
    internal IReadOnlyList<KubernetesInformer> Informers => _informers;

    /// <summary>Gets the routes the proxy applies now.</summary>
    public ProxyRoutes Routes
    {
        get
        {
            var plan = Volatile.Read(ref _plan);
            var share = plan.CanaryShare;
            if (_providerBase == TrafficProviders.LabelRatio)
            {
                var pods = Endpoints(_settings.Service);
                share = pods.Count == 0 ? null : (double)pods.Count(pod => pod.Deployment == _settings.Target) / pods.Count;
            }

            return new ProxyRoutes(Provider, plan.Description, share);
        }
    }

    /// <summary>Starts watching the routing objects and serving; returns once the objects are listed.</summary>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>A task that completes when the proxy routes by the current objects.</returns>
    /// <exception cref="InvalidOperationException">The proxy was already started, or the API does not serve a routing type.</exception>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (_server is not null)
        {
            throw new InvalidOperationException("The proxy is already started.");
        }

        foreach (var resource in Resources)
        {
            try
            {
                await _api.ListAsync(resource, _settings.Namespace, new ListOptions { Limit = 1 }, cancellationToken);
            }
            catch (KubernetesException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
            {
                throw new InvalidOperationException(
                    $"The Kubernetes API does not serve {resource} ({resource.Kind}), which the {Provider} provider routes by; install its CRD first.", ex);
            }
        }

        _informerTasks = Task.WhenAll(_informers.Select(informer => informer.RunAsync(_stop.Token)));
        await Task.WhenAll(_informers.Select(informer => informer.WaitForSyncAsync(cancellationToken)));
        Rebuild();
        var server = await LoopbackServer.StartAsync(HandleAsync, ShutdownTimeout, listeners: 2, cancellationToken);
        _trafficPort = server.Addresses[0].Port;
        _server = server;
    }

    /// <summary>Waits until the routes satisfy a condition, checking now and after every change of the routing objects or pods.</summary>
    /// <param name="condition">The condition, for example <c>r =&gt; r.CanaryShare == 0.2</c>.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>A task that completes when the condition holds.</returns>
    public Task WaitForRoutesAsync(Func<ProxyRoutes, bool> condition, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(condition);
        return _changed.WaitUntilAsync(() => condition(Routes), cancellationToken);
    }

    /// <summary>Stops serving and watching.</summary>
    /// <returns>A task that completes when the ports are free.</returns>
    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }

        await _stop.CancelAsync();
        _cluster.PodsChanged -= _podsChanged;
        if (_server is { } server)
        {
            await server.DisposeAsync();
        }

        await _informerTasks;
        _acceptor?.Dispose();
        _client.Dispose();
        _stop.Dispose();
    }

    private static IReadOnlyList<ResourceType> ResourcesFor(WeightedProxyOptions options)
    {
        var route = options.RouteResource ?? ProxyRouteResources.For(options.Provider);
        if (route is null)
        {
            return [];
        }

        // From v1alpha3 a TrafficSplit may name HTTPRouteGroups of the same version.
        return route.Kind == "TrafficSplit" && route.Version is not ("v1alpha1" or "v1alpha2")
            ? [route, ProxyRouteResources.HttpRouteGroups(route.Version)]
            : [route];
    }

    private static InvalidOperationException NotStarted() => new("The proxy has not been started; call StartAsync first.");

    private void Rebuild()
    {
        lock (_planGate)
        {
            Volatile.Write(ref _plan, BuildPlan());
        }

        _changed.Notify();
    }

    private RoutePlan BuildPlan()
    {
        IReadOnlyList<JsonObject> Objects(int index) => index < _informers.Count ? _informers[index].List() : [];

        var kind = Resources.Count > 0 ? Resources[0].Kind : null;
        return kind switch
        {
            "Ingress" => NginxRoutePlan.Build(Objects(0), _settings),
            "TraefikService" => TraefikRoutePlan.Build(Objects(0), _settings),
            "TrafficSplit" => SmiRoutePlan.Build(Objects(0), Objects(1), _settings),
            "HTTPRoute" => GatewayRoutePlan.Build(Objects(0), _settings),
            _ => new ServiceRoutePlan(_settings, labelRatio: _providerBase == TrafficProviders.LabelRatio),
        };
    }

    private IReadOnlyList<DemoPod> Endpoints(string service)
    {
        if (_cluster.TryGetServiceEndpoints(service, out var pods))
        {
            return pods;
        }

        if (service == _settings.PrimaryService)
        {
            return _cluster.PodsOf(_settings.PrimaryDeployment);
        }

        if (service == _settings.CanaryService)
        {
            return _cluster.PodsOf(_settings.Target);
        }

        if (service == _settings.Service)
        {
            var primary = _cluster.PodsOf(_settings.PrimaryDeployment);
            if (_providerBase == TrafficProviders.LabelRatio)
            {
                return [.. primary, .. _cluster.PodsOf(_settings.Target)];
            }

            return primary.Count > 0 ? primary : _cluster.PodsOf(_settings.Target);
        }

        return _cluster.PodsOf(service);
    }

    /// <summary>
    /// The primary or canary Service a request addresses by its in-cluster name (<c>podinfo-canary</c>, <c>podinfo-canary.test</c>,
    /// <c>…svc</c>, <c>…svc.cluster.local</c>), as a load tester inside the cluster calls it past the router; otherwise null.
    /// </summary>
    private string? DirectService(string host)
    {
        foreach (var service in (ReadOnlySpan<string>)[_settings.CanaryService, _settings.PrimaryService])
        {
            if (host == service || host == $"{service}.{_settings.Namespace}" || host == $"{service}.{_settings.Namespace}.svc"
                || host == $"{service}.{_settings.Namespace}.svc.cluster.local")
            {
                return service;
            }
        }

        return null;
    }

    private WorkloadRole? RoleOf(string? service, DemoPod? pod)
    {
        var deployment = pod?.Deployment;
        if (deployment == _settings.Target)
        {
            return WorkloadRole.Canary;
        }

        if (deployment == _settings.PrimaryDeployment)
        {
            return WorkloadRole.Primary;
        }

        return service == _settings.CanaryService ? WorkloadRole.Canary : service == _settings.PrimaryService ? WorkloadRole.Primary : null;
    }

    private async Task HandleAsync(HttpContext context)
    {
        if (context.Connection.LocalPort != _trafficPort)
        {
            await ServeMetricsAsync(context);
            return;
        }

        var started = _timeProvider.GetTimestamp();
        var direct = DirectService(RouteMatching.Host(context.Request));
        var decision = direct is not null
            ? RouteDecision.Forward(direct, _settings.Port)
            : Volatile.Read(ref _plan).Choose(context.Request, _context);
        DemoPod? pod = null;
        int status;
        var simulated = TimeSpan.Zero;
        try
        {
            if (decision.Service is null || decision.Status != 0)
            {
                status = await AnswerAsync(context, decision.Status, decision.Reason);
            }
            else
            {
                var pods = Endpoints(decision.Service);
                if (pods.Count == 0)
                {
                    status = await AnswerAsync(context, StatusCodes.Status503ServiceUnavailable, $"Service {decision.Service} has no ready endpoints");
                }
                else
                {
                    pod = pods[_random.Next(pods.Count)];
                    (status, simulated) = await ForwardAsync(context, pod);
                }
            }
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            status = ClientClosedRequest;
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "The proxy failed on {Method} {Host}{Path}", context.Request.Method, context.Request.Host, context.Request.Path);
            throw;
        }

        Metrics.Record(new ProxyRequest(
            decision.Ingress ?? _settings.Ingress,
            RouteMatching.Host(context.Request),
            context.Request.Method,
            decision.Path,
            decision.Service,
            decision.Port == 0 ? _settings.Port : decision.Port,
            pod?.Name,
            pod?.Deployment,
            // A call inside the cluster that no pod took never reached anything that measures; only what a pod served counts.
            direct is not null && pod is null ? null : RoleOf(decision.Service, pod),
            status,
            _timeProvider.GetElapsedTime(started) + simulated));
    }

    /// <summary>Forwards a request to a pod; returns the status the client got and the latency the pod stated it simulated, if any.</summary>
    private async Task<(int Status, TimeSpan Simulated)> ForwardAsync(HttpContext context, DemoPod pod)
    {
        var request = context.Request;
        using var message = new HttpRequestMessage(new HttpMethod(request.Method), new Uri(pod.Address, request.Path.Value + request.QueryString.Value));
        if (request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0)
        {
            message.Content = new StreamContent(request.Body);
        }

        foreach (var (name, values) in request.Headers)
        {
            if (HopByHop.Contains(name) || name.Equals("Host", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (!message.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values))
            {
                message.Content?.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
            }
        }

        message.Headers.Host = request.Host.Value;
        message.Headers.TryAddWithoutValidation("X-Forwarded-For", context.Connection.RemoteIpAddress?.ToString());
        message.Headers.TryAddWithoutValidation("X-Forwarded-Host", request.Host.Value);
        message.Headers.TryAddWithoutValidation("X-Forwarded-Proto", request.Scheme);

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stop.Token);
        timeout.CancelAfter(_upstreamTimeout);
        try
        {
            using var response = await _client.SendAsync(message, timeout.Token);
            context.Response.StatusCode = (int)response.StatusCode;
            CopyHeaders(response.Headers, context.Response);
            CopyHeaders(response.Content.Headers, context.Response);
            await response.Content.CopyToAsync(context.Response.Body, timeout.Token);
            return ((int)response.StatusCode, SimulatedLatency(response));
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return (ClientClosedRequest, TimeSpan.Zero);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            return (await AnswerAsync(context, StatusCodes.Status504GatewayTimeout, $"pod {pod.Name} did not answer within {_upstreamTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)}s"), TimeSpan.Zero);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            // A pod that stops mid-answer (a scale-down) resets its connections: the client sees a bad gateway, as behind nginx.
            if (_logger.IsEnabled(LogLevel.Debug))
            {
                _logger.LogDebug(ex, "Pod {Pod} could not be reached", pod.Name);
            }

            return (await AnswerAsync(context, StatusCodes.Status502BadGateway, $"pod {pod.Name} failed to answer: {ex.Message}"), TimeSpan.Zero);
        }
    }

    // A pod on virtual time answers at once and states the latency it simulated, which is then part of the measured duration.
    private static TimeSpan SimulatedLatency(HttpResponseMessage response) =>
        response.Headers.TryGetValues(DemoPod.LatencyHeader, out var values)
        && double.TryParse(values.FirstOrDefault(), NumberStyles.Float, CultureInfo.InvariantCulture, out var milliseconds)
        && milliseconds > 0 && double.IsFinite(milliseconds)
            ? TimeSpan.FromMilliseconds(milliseconds)
            : TimeSpan.Zero;

    private static void CopyHeaders(HttpHeaders headers, HttpResponse response)
    {
        foreach (var (name, values) in headers)
        {
            if (!HopByHop.Contains(name))
            {
                response.Headers[name] = values.ToArray();
            }
        }
    }

    private async Task<int> AnswerAsync(HttpContext context, int status, string? reason)
    {
        if (_logger.IsEnabled(LogLevel.Debug))
        {
            _logger.LogDebug("Answered {Status} to {Method} {Host}{Path}: {Reason}", status, context.Request.Method, context.Request.Host, context.Request.Path, reason);
        }

        if (context.Response.HasStarted)
        {
            // The pod's answer was already on its way; the status the client saw is the one to count.
            return context.Response.StatusCode;
        }

        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.WriteAsync($"{status.ToString(CultureInfo.InvariantCulture)} {ReasonPhrases.GetReasonPhrase(status)}: {reason}\n", context.RequestAborted);
        return status;
    }

    private Task ServeMetricsAsync(HttpContext context)
    {
        if (context.Request.Path != "/metrics")
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }

        context.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
        return context.Response.WriteAsync(Metrics.Exposition(), context.RequestAborted);
    }
}
