using System.Text.Json.Nodes;
using Canary.Analysis;
using Canary.Engine;
using Canary.Kubernetes.Client;
using Canary.Kubernetes.Configuration;
using Canary.Kubernetes.State;
using Canary.Model;
using Canary.Resilience;
using Canary.Testing.Kubernetes;
using Canary.Testing.Time;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Canary.Cli.Demo;

/// <summary>
/// Everything the <c>canary demo</c> needs besides the engine: a fake Kubernetes API server, the app's Deployment (and, for nginx,
/// its Ingress) as a user would have them, the <see cref="DemoCluster"/> that runs the Deployments' pods and, playing the deployment
/// controller, reports them in their status once they serve (so the server's own simulator is off), the
/// <see cref="WeightedProxy"/> that routes by the provider's objects, the users' traffic from a <see cref="LoadGenerator"/>, and a
/// <see cref="ProxyMetricProvider"/> that measures it. All of it runs on 127.0.0.1.
/// </summary>
/// <remarks>
/// <para><b>Where the engine plugs in.</b> <see cref="AddCanary"/> registers this environment's Kubernetes API, clock and metric
/// provider, then Canary's engine with the Kubernetes adapters (workload controller, status store) and every router, as a host
/// connected to a cluster would. The engine then acts on the fake API server exactly as on a cluster; the pods, the proxy and the
/// traffic follow. <see cref="DemoRollouts"/> drives the two rollouts of the demo through it.</para>
/// </remarks>
public sealed class DemoEnvironment : IAsyncDisposable
{
    private readonly CancellationTokenSource _stopLoad = new();
    private readonly List<(LoadGenerator Generator, Task<LoadReport> Run)> _loads = [];
    private bool _disposed;

    private DemoEnvironment(
        DemoEnvironmentOptions options, FakeKubernetesApiServer server, KubernetesClientConfiguration configuration, KubernetesApiClient api, TimeProvider timeProvider)
    {
        Options = options;
        ApiServer = server;
        ClientConfiguration = configuration;
        Api = api;
        TimeProvider = timeProvider;
    }

    /// <summary>Gets the options the environment was started with.</summary>
    public DemoEnvironmentOptions Options { get; }

    /// <summary>Gets the fake Kubernetes API server.</summary>
    public FakeKubernetesApiServer ApiServer { get; }

    /// <summary>Gets the Kubernetes API client to the fake server, which the engine's adapters use too.</summary>
    public IKubernetesApi Api { get; }

    /// <summary>Gets how to reach the fake API server, for the engine's Kubernetes adapters (or a kubeconfig).</summary>
    public KubernetesClientConfiguration ClientConfiguration { get; }

    /// <summary>Gets the clock everything waits on.</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>
    /// Gets the virtual clock that drives the environment when it was started with <see cref="DemoEnvironmentOptions.VirtualTime"/>,
    /// or <see langword="null"/> on real time.
    /// </summary>
    public DemoVirtualClock? Clock { get; private set; }

    /// <summary>Gets the pods.</summary>
    public DemoCluster Cluster { get; private set; } = null!;

    /// <summary>Gets the proxy that takes the users' traffic.</summary>
    public WeightedProxy Proxy { get; private set; } = null!;

    /// <summary>Gets the metric provider that reads the proxy's counters.</summary>
    public ProxyMetricProvider MetricProvider { get; private set; } = null!;

    /// <summary>Gets the host name the users' traffic and the routing objects use, for example <c>podinfo.example.com</c>.</summary>
    public string Host => $"{Options.AppName}.example.com";

    /// <summary>Gets the users' traffic so far (not the load tester's).</summary>
    public LoadReport UserTraffic => _loads.Count > 0 ? _loads[0].Generator.Snapshot() : EmptyReport;

    /// <summary>
    /// Gets a task that completes with the users' traffic once it ends: after <see cref="LoadGeneratorOptions.MaxRequests"/>, or
    /// when the traffic is stopped. Without traffic it has completed already.
    /// </summary>
    public Task<LoadReport> UserTrafficCompleted => _loads.Count > 0 ? _loads[0].Run : Task.FromResult(EmptyReport);

    private static LoadReport EmptyReport => new(0, 0, 0, new Dictionary<string, VersionCount>(), new Dictionary<string, VersionCount>(), new Dictionary<int, long>());

    /// <summary>Starts the API server, seeds the app, and starts the pods, the proxy and (unless disabled) the traffic.</summary>
    /// <param name="options">The provider, the versions' behaviour and the load, or <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running environment; dispose it to stop everything.</returns>
    /// <exception cref="ArgumentException">The options are invalid; the message names each property.</exception>
    public static async Task<DemoEnvironment> StartAsync(DemoEnvironmentOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new DemoEnvironmentOptions();
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException($"The DemoEnvironmentOptions are invalid: {string.Join("; ", errors)}", nameof(options));
        }

        // On virtual time the clock starts at the current second, so that the events carry plausible dates and its one-second ticks
        // line up with the proxy's one-second metric slots.
        var time = options.VirtualTime
            ? new ManualTimeProvider(DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds()))
            : options.TimeProvider ?? TimeProvider.System;
        var server = new FakeKubernetesApiServer(new FakeKubernetesApiServerOptions { TimeProvider = time, SimulateDeployments = false });
        KubernetesApiClient? api = null;
        DemoEnvironment? environment = null;
        try
        {
            await server.StartAsync(cancellationToken);
            var configuration = new KubernetesClientConfiguration { Host = server.BaseAddress, AccessToken = "demo", Namespace = options.Namespace };
            // On virtual time the client's retries and timeouts, which are about the transport, stay on wall time like the transport.
            var transportTime = options.VirtualTime ? TimeProvider.System : time;
            api = new KubernetesApiClient(configuration, new KubernetesClientOptions { TimeProvider = transportTime, LoggerFactory = options.LoggerFactory });
            environment = new DemoEnvironment(options, server, configuration, api, time);
            await environment.StartPiecesAsync(cancellationToken);
            return environment;
        }
        catch
        {
            if (environment is not null)
            {
                await environment.DisposeAsync();
            }
            else
            {
                api?.Dispose();
                await server.DisposeAsync();
            }

            throw;
        }
    }

    /// <summary>
    /// The seam for the engine: registers this environment's Kubernetes API, clock and <see cref="MetricProvider"/> (as the provider
    /// of the builtin metrics), then Canary's engine with <see cref="DemoEnvironmentOptions.Provider"/> as its default provider, the
    /// Kubernetes adapters (workload controller, and the status store on the Canary object) and every router.
    /// </summary>
    /// <param name="services">The host's services.</param>
    /// <param name="configure">Further engine options, or <see langword="null"/>.</param>
    /// <returns>The Canary builder, for more adapters (notifiers, say).</returns>
    public ICanaryBuilder AddCanary(IServiceCollection services, Action<CanaryEngineOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(Api);
        services.TryAddSingleton(TimeProvider);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IMetricProvider>(MetricProvider));
        if (Clock is not null)
        {
            // A retry inside a step (a route not yet accepted, say) waits a moment on wall time: on the virtual clock it would wait
            // for a tick that comes only once the step is done.
            services.TryAddSingleton(sp => new CanaryResiliencePipelines(sp.GetRequiredService<IOptions<CanaryResilienceOptions>>(), TimeProvider.System));
        }

        return services
            .AddCanary(engine =>
            {
                engine.DefaultProvider = Options.Provider;
                engine.BuiltinMetricsProvider = MetricProvider.Name;
                configure?.Invoke(engine);
            })
            .AddKubernetes(kubernetes =>
            {
                kubernetes.Configuration = ClientConfiguration;
                kubernetes.FieldManager = "canary-demo";
            })
            .AddAllRouters();
    }

    /// <summary>
    /// Returns the demo's canary: a progressive rollout (blue/green iterations for <c>kubernetes</c>, which cannot split traffic)
    /// judged by the builtin success rate (at least 99%) and P99 duration. On real time the P99 may be at most 1 s (generous,
    /// because the P99 of a few seconds of requests is their slowest one, and a busy machine's pause must not fail a healthy
    /// version); on virtual time (<see cref="DemoEnvironmentOptions.VirtualTime"/>) the pace is that of Flagger's examples instead:
    /// a step every minute by 10% up to 50% (25% for label-ratio, a pod of four; 10 iterations for blue/green), rolled back after 5 failed checks, one-minute metric
    /// windows, a P99 of at most 500 ms, and <paramref name="fast"/> is ignored.
    /// </summary>
    /// <param name="fast">
    /// On real time, whether to step every 2 seconds by 25% (rolling back after 2 failed checks) instead of every 7 seconds by 10%
    /// (25% for label-ratio; after 3), a pace at which <c>canary demo</c> runs both rollouts in about a minute and a half.
    /// </param>
    /// <returns>The canary.</returns>
    public CanaryResource CreateCanary(bool fast = false)
    {
        return Options.VirtualTime ? RealisticCanary() : RealTimeCanary(fast);
    }

    private CanaryResource RealTimeCanary(bool fast)
    {
        var provider = TrafficProviders.BaseName(Options.Provider);
        var metricWindow = fast ? TimeSpan.FromSeconds(4) : TimeSpan.FromSeconds(30);
        var blueGreen = provider == TrafficProviders.Kubernetes;
        var analysis = new AnalysisSpec
        {
            Interval = fast ? TimeSpan.FromSeconds(2) : TimeSpan.FromSeconds(7),
            Threshold = fast ? 2 : 3,
            // Label-ratio splits by pods: with 4 replicas a step under 25% would give the canary no pod at all.
            StepWeight = blueGreen ? null : fast || provider == TrafficProviders.LabelRatio ? 25 : 10,
            MaxWeight = blueGreen ? null : 50,
            Iterations = blueGreen ? (fast ? 4 : 6) : null,
            Metrics =
            [
                new MetricCheck { Name = BuiltinMetrics.RequestSuccessRate, Interval = metricWindow, ThresholdRange = new ThresholdRange(Min: 99) },
                new MetricCheck { Name = BuiltinMetrics.RequestDuration, Interval = metricWindow, ThresholdRange = new ThresholdRange(Max: 1000) },
            ],
        };
        return new CanaryResource(
            new CanaryId(Options.AppName, Options.Namespace),
            new CanarySpec
            {
                TargetRef = new ObjectReference("apps/v1", "Deployment", Options.AppName),
                IngressRef = provider == TrafficProviders.Nginx ? new ObjectReference("networking.k8s.io/v1", "Ingress", Options.AppName) : null,
                Provider = Options.Provider,
                ProgressDeadline = TimeSpan.FromSeconds(60),
                Service = new ServiceSpec
                {
                    Port = 80,
                    TargetPort = "9898",
                    Hosts = [Host],
                    GatewayRefs = provider == TrafficProviders.GatewayApi ? [new GatewayReference("public-gateway", "gateway")] : [],
                },
                Analysis = analysis,
            });
    }

    // Flagger's podinfo examples: interval 1m, threshold 5, stepWeight 10, maxWeight 50 (blue/green: 10 iterations), 1m windows.
    // (Label-ratio steps by 25%, a quarter of the app's 4 replicas.)
    private CanaryResource RealisticCanary()
    {
        var canary = RealTimeCanary(fast: false);
        var blueGreen = canary.Spec.Analysis.Iterations is not null;
        var window = TimeSpan.FromMinutes(1);
        return canary with
        {
            Spec = canary.Spec with
            {
                ProgressDeadline = TimeSpan.FromMinutes(10),
                Analysis = canary.Spec.Analysis with
                {
                    Interval = TimeSpan.FromMinutes(1),
                    Threshold = 5,
                    // Label-ratio splits by pods: with 4 replicas a step under 25% would give the canary no pod at all.
                    StepWeight = blueGreen ? null : TrafficProviders.BaseName(Options.Provider) == TrafficProviders.LabelRatio ? 25 : 10,
                    Iterations = blueGreen ? 10 : null,
                    Metrics =
                    [
                        new MetricCheck { Name = BuiltinMetrics.RequestSuccessRate, Interval = window, ThresholdRange = new ThresholdRange(Min: 99) },
                        new MetricCheck { Name = BuiltinMetrics.RequestDuration, Interval = window, ThresholdRange = new ThresholdRange(Max: 500) },
                    ],
                },
            },
        };
    }

    /// <summary>Releases a version as a user would: sets the image of the app's Deployment, which the engine sees as a new revision.</summary>
    /// <param name="version">The version, for example <see cref="DemoVersions.V2"/>.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>A task that completes when the API server has the new image.</returns>
    public async Task DeployAsync(string version, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(version);
        var patch = new JsonArray(new JsonObject
        {
            ["op"] = "replace",
            ["path"] = "/spec/template/spec/containers/0/image",
            ["value"] = DemoImage.For(version),
        });
        await Api.PatchAsync(ResourceType.Deployments, Options.Namespace, Options.AppName, KubernetesPatch.Json(patch), cancellationToken: cancellationToken);
    }

    /// <summary>Stops the users' traffic (and the load tester's), abandoning the requests in flight.</summary>
    /// <returns>The users' traffic.</returns>
    public async Task<LoadReport> StopTrafficAsync()
    {
        await _stopLoad.CancelAsync();
        await Task.WhenAll(_loads.Select(load => load.Run));
        return UserTraffic;
    }

    /// <summary>Stops the traffic, then the proxy, the pods and the API server.</summary>
    /// <returns>A task that completes when every port is free.</returns>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await _stopLoad.CancelAsync();
        foreach (var (generator, run) in _loads)
        {
            await run;
            generator.Dispose();
        }

        if (Proxy is not null)
        {
            await Proxy.DisposeAsync();
        }

        if (Cluster is not null)
        {
            await Cluster.DisposeAsync();
        }

        ((KubernetesApiClient)Api).Dispose();
        await ApiServer.DisposeAsync();
        _stopLoad.Dispose();
    }

    private async Task StartPiecesAsync(CancellationToken cancellationToken)
    {
        var options = Options;
        RegisterRoutingTypes();
        ApiServer.CreateNamespace(options.Namespace);
        ApiServer.PutObject(AppDeployment());
        ApiServer.PutObject(CanaryObject());
        if (TrafficProviders.BaseName(options.Provider) == TrafficProviders.Nginx)
        {
            ApiServer.PutObject(UserIngress());
        }

        var clusterOptions = new DemoClusterOptions
        {
            Namespace = options.Namespace,
            ManageDeploymentStatus = true,
            ReadinessDelay = options.PodReadinessDelay,
            ReportLatency = options.VirtualTime,
            Seed = options.Seed,
            TimeProvider = TimeProvider,
            LoggerFactory = options.LoggerFactory,
        };
        foreach (var (version, behavior) in options.Versions)
        {
            clusterOptions.Versions[version] = behavior;
        }

        Cluster = new DemoCluster(Api, clusterOptions);
        await Cluster.StartAsync(cancellationToken);
        Proxy = new WeightedProxy(Api, Cluster, new WeightedProxyOptions
        {
            Provider = options.Provider,
            Namespace = options.Namespace,
            TargetName = options.AppName,
            Seed = options.Seed,
            TimeProvider = TimeProvider,
            LoggerFactory = options.LoggerFactory,
        });
        await Proxy.StartAsync(cancellationToken);
        MetricProvider = new ProxyMetricProvider(Proxy.Metrics);
        if (TimeProvider is ManualTimeProvider manual && options.VirtualTime)
        {
            Clock = new DemoVirtualClock(manual, TimeSpan.FromSeconds(1), ApiServer, Cluster, Proxy, options.Namespace);
        }

        if (options.StartLoad)
        {
            StartLoad(options.Load, Host, options.Seed);

            // Without a split, only a load tester that calls the canary's Service directly gives the analysis traffic to judge.
            if (TrafficProviders.BaseName(options.Provider) == TrafficProviders.Kubernetes)
            {
                var tester = new LoadGeneratorOptions { RequestsPerSecond = 10, MaxConcurrency = 4, TimeProvider = TimeProvider };
                StartLoad(tester, $"{options.AppName}-canary.{options.Namespace}", options.Seed + 1);
            }
        }
    }

    private void StartLoad(LoadGeneratorOptions template, string host, int seed)
    {
        var generator = new LoadGenerator(Proxy.Address, new LoadGeneratorOptions
        {
            RequestsPerSecond = template.RequestsPerSecond,
            MaxConcurrency = template.MaxConcurrency,
            MaxRequests = template.MaxRequests,
            Path = template.Path,
            Host = template.Host ?? host,
            Mark = template.Mark,
            RequestTimeout = template.RequestTimeout,
            Seed = seed,
            TimeProvider = template.TimeProvider ?? TimeProvider,
        });
        if (Clock is { } clock)
        {
            // On virtual time the clock sends each tick's requests; the run only waits for the stop.
            clock.AddLoad(generator, template.RequestsPerSecond ?? 0, _stopLoad.Token);
            _loads.Add((generator, WaitForStopAsync(generator, _stopLoad.Token)));
            return;
        }

        _loads.Add((generator, generator.RunAsync(_stopLoad.Token)));
    }

    private static async Task<LoadReport> WaitForStopAsync(LoadGenerator generator, CancellationToken stop)
    {
        try
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, stop);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Stopping is how the traffic ends.
        }

        return generator.Snapshot();
    }

    // Served as if their CRDs were installed: Canary's own, and exactly the routing types the proxy reads for the provider, so
    // that a router that asks the cluster which version it serves writes the one the proxy obeys.
    private void RegisterRoutingTypes()
    {
        ApiServer.RegisterCustomResource(CanaryResourceTypes.DefaultGroup, CanaryResourceTypes.DefaultVersion, "canaries", "Canary", hasStatusSubresource: true);
        if (ProxyRouteResources.For(Options.Provider) is not { Group.Length: > 0 } route)
        {
            return;
        }

        ApiServer.RegisterCustomResource(route.Group, route.Version, route.Plural, route.Kind, hasStatusSubresource: route.Kind == "HTTPRoute");
        switch (route.Kind)
        {
            case "TraefikService":
                ApiServer.RegisterCustomResource(route.Group, route.Version, "ingressroutes", "IngressRoute");
                break;
            case "HTTPRoute":
                ApiServer.RegisterCustomResource(route.Group, route.Version, "gateways", "Gateway", hasStatusSubresource: true);
                break;
            case "TrafficSplit" when route.Version is not ("v1alpha1" or "v1alpha2"):
                var groups = ProxyRouteResources.HttpRouteGroups(route.Version);
                ApiServer.RegisterCustomResource(groups.Group, groups.Version, groups.Plural, groups.Kind);
                break;
        }
    }

    // The canary as a user applies it, so that the status store has an object to write the status to.
    private JsonObject CanaryObject() => new()
    {
        ["apiVersion"] = $"{CanaryResourceTypes.DefaultGroup}/{CanaryResourceTypes.DefaultVersion}",
        ["kind"] = "Canary",
        ["metadata"] = new JsonObject { ["name"] = Options.AppName, ["namespace"] = Options.Namespace },
        ["spec"] = new JsonObject
        {
            ["provider"] = Options.Provider,
            ["targetRef"] = new JsonObject { ["apiVersion"] = "apps/v1", ["kind"] = "Deployment", ["name"] = Options.AppName },
            ["service"] = new JsonObject { ["port"] = 80, ["targetPort"] = 9898 },
        },
    };

    private JsonObject AppDeployment()
    {
        var labels = new JsonObject { ["app"] = Options.AppName };
        return new JsonObject
        {
            ["apiVersion"] = "apps/v1",
            ["kind"] = "Deployment",
            ["metadata"] = new JsonObject { ["name"] = Options.AppName, ["namespace"] = Options.Namespace, ["labels"] = labels.DeepClone() },
            ["spec"] = new JsonObject
            {
                ["replicas"] = Options.Replicas,
                ["progressDeadlineSeconds"] = 60,
                ["selector"] = new JsonObject { ["matchLabels"] = labels.DeepClone() },
                ["template"] = new JsonObject
                {
                    ["metadata"] = new JsonObject { ["labels"] = labels.DeepClone() },
                    ["spec"] = new JsonObject
                    {
                        ["containers"] = new JsonArray(new JsonObject
                        {
                            ["name"] = "podinfo",
                            ["image"] = DemoImage.For(Options.InitialVersion),
                            ["ports"] = new JsonArray(new JsonObject { ["name"] = "http", ["containerPort"] = 9898 }),
                            ["readinessProbe"] = new JsonObject { ["httpGet"] = new JsonObject { ["path"] = "/readyz", ["port"] = 9898 } },
                        }),
                    },
                },
            },
        };
    }

    private JsonObject UserIngress() => new()
    {
        ["apiVersion"] = "networking.k8s.io/v1",
        ["kind"] = "Ingress",
        ["metadata"] = new JsonObject { ["name"] = Options.AppName, ["namespace"] = Options.Namespace },
        ["spec"] = new JsonObject
        {
            ["ingressClassName"] = "nginx",
            ["rules"] = new JsonArray(new JsonObject
            {
                ["host"] = Host,
                ["http"] = new JsonObject
                {
                    ["paths"] = new JsonArray(new JsonObject
                    {
                        ["path"] = "/",
                        ["pathType"] = "Prefix",
                        ["backend"] = new JsonObject { ["service"] = new JsonObject { ["name"] = Options.AppName, ["port"] = new JsonObject { ["number"] = 80 } } },
                    }),
                },
            }),
        },
    };
}
