using System.Text.Json.Nodes;
using Canary.Analysis;
using Canary.Engine;
using Canary.Kubernetes.Client;
using Canary.Kubernetes.Configuration;
using Canary.Model;
using Canary.Testing.Kubernetes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Canary.Cli.Demo;

/// <summary>
/// Everything the <c>canary demo</c> needs except the engine: a fake Kubernetes API server with the deployment-controller
/// simulator, the app's Deployment (and, for nginx, its Ingress) as a user would have them, the <see cref="DemoCluster"/> whose
/// pods follow the Deployments, the <see cref="WeightedProxy"/> that routes by the provider's objects, the users' traffic from a
/// <see cref="LoadGenerator"/>, and a <see cref="ProxyMetricProvider"/> that measures it. All of it runs on 127.0.0.1.
/// </summary>
/// <remarks>
/// <para><b>Where the engine plugs in.</b> <see cref="AddCanary"/> registers this environment's Kubernetes API, clock and metric
/// provider, and returns the Canary builder, to which a host adds the Kubernetes workload controller and the provider's router:</para>
/// <code>
/// await using var demo = await DemoEnvironment.StartAsync(options);
/// var services = new ServiceCollection();
/// demo.AddCanary(services)
///     .AddKubernetesWorkloads()      // the Kubernetes workload controller
///     .AddNginxIngressRouter();      // the router of demo.Options.Provider
/// await using var provider = services.BuildServiceProvider();
/// var runner = provider.GetRequiredService&lt;CanaryRunner&gt;();
/// var canary = demo.CreateCanary(fast: true);
/// await runner.RunAsync(canary, untilFinished: false, token);   // initializes: podinfo-primary takes the traffic
/// await demo.DeployAsync(DemoVersions.V2);                      // a healthy release: promoted
/// await demo.DeployAsync(DemoVersions.V3);                      // a faulty release: rolled back
/// </code>
/// <para>The engine then acts on the fake API server exactly as on a cluster; the pods, the proxy and the traffic follow.</para>
/// </remarks>
public sealed class DemoEnvironment : IAsyncDisposable
{
    private readonly CancellationTokenSource _stopLoad = new();
    private readonly List<(LoadGenerator Generator, Task<LoadReport> Run)> _loads = [];
    private bool _disposed;

    private DemoEnvironment(DemoEnvironmentOptions options, FakeKubernetesApiServer server, KubernetesApiClient api, TimeProvider timeProvider)
    {
        Options = options;
        ApiServer = server;
        Api = api;
        TimeProvider = timeProvider;
    }

    /// <summary>Gets the options the environment was started with.</summary>
    public DemoEnvironmentOptions Options { get; }

    /// <summary>Gets the fake Kubernetes API server, with its deployment-controller simulator.</summary>
    public FakeKubernetesApiServer ApiServer { get; }

    /// <summary>Gets the Kubernetes API client to the fake server, which the engine's adapters use too.</summary>
    public IKubernetesApi Api { get; }

    /// <summary>Gets the clock everything waits on.</summary>
    public TimeProvider TimeProvider { get; }

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

        var time = options.TimeProvider ?? TimeProvider.System;
        var server = new FakeKubernetesApiServer(new FakeKubernetesApiServerOptions { TimeProvider = time });
        KubernetesApiClient? api = null;
        DemoEnvironment? environment = null;
        try
        {
            await server.StartAsync(cancellationToken);
            server.DeploymentController.DefaultBehavior = DeploymentBehavior.ReadyAfter(options.PodReadinessDelay);
            api = new KubernetesApiClient(
                new KubernetesClientConfiguration { Host = server.BaseAddress, AccessToken = "demo", Namespace = options.Namespace },
                new KubernetesClientOptions { TimeProvider = time, LoggerFactory = options.LoggerFactory });
            environment = new DemoEnvironment(options, server, api, time);
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
    /// of the builtin metrics), then Canary's engine with <see cref="DemoEnvironmentOptions.Provider"/> as its default provider.
    /// Add the Kubernetes workload controller and the provider's router to the builder it returns.
    /// </summary>
    /// <param name="services">The host's services.</param>
    /// <param name="configure">Further engine options, or <see langword="null"/>.</param>
    /// <returns>The Canary builder.</returns>
    public ICanaryBuilder AddCanary(IServiceCollection services, Action<CanaryEngineOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(Api);
        services.TryAddSingleton(TimeProvider);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IMetricProvider>(MetricProvider));
        return services.AddCanary(engine =>
        {
            engine.DefaultProvider = Options.Provider;
            engine.BuiltinMetricsProvider = MetricProvider.Name;
            configure?.Invoke(engine);
        });
    }

    /// <summary>
    /// Returns the demo's canary: a progressive rollout (blue/green iterations for <c>kubernetes</c>, which cannot split traffic)
    /// judged by the builtin success rate (at least 99%) and P99 duration (at most 500 ms).
    /// </summary>
    /// <param name="fast">Whether to step every 2 seconds by 25% (rolling back after 2 failed checks) instead of every 10 seconds by 10% (after 3).</param>
    /// <returns>The canary.</returns>
    public CanaryResource CreateCanary(bool fast = false)
    {
        var provider = TrafficProviders.BaseName(Options.Provider);
        var metricWindow = fast ? TimeSpan.FromSeconds(4) : TimeSpan.FromSeconds(30);
        var blueGreen = provider == TrafficProviders.Kubernetes;
        var analysis = new AnalysisSpec
        {
            Interval = fast ? TimeSpan.FromSeconds(2) : TimeSpan.FromSeconds(10),
            Threshold = fast ? 2 : 3,
            StepWeight = blueGreen ? null : fast ? 25 : 10,
            MaxWeight = blueGreen ? null : 50,
            Iterations = blueGreen ? (fast ? 4 : 6) : null,
            Metrics =
            [
                new MetricCheck { Name = BuiltinMetrics.RequestSuccessRate, Interval = metricWindow, ThresholdRange = new ThresholdRange(Min: 99) },
                new MetricCheck { Name = BuiltinMetrics.RequestDuration, Interval = metricWindow, ThresholdRange = new ThresholdRange(Max: 500) },
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
        if (TrafficProviders.BaseName(options.Provider) == TrafficProviders.Nginx)
        {
            ApiServer.PutObject(UserIngress());
        }

        var clusterOptions = new DemoClusterOptions
        {
            Namespace = options.Namespace,
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
        _loads.Add((generator, generator.RunAsync(_stopLoad.Token)));
    }

    // Served as if their CRDs were installed, so that whichever router runs can write its objects.
    private void RegisterRoutingTypes()
    {
        ApiServer.RegisterCustomResource("traefik.io", "v1alpha1", "traefikservices", "TraefikService");
        ApiServer.RegisterCustomResource("traefik.io", "v1alpha1", "ingressroutes", "IngressRoute");
        foreach (var version in new[] { "v1alpha1", "v1alpha2", "v1alpha3", "v1alpha4" })
        {
            ApiServer.RegisterCustomResource("split.smi-spec.io", version, "trafficsplits", "TrafficSplit");
        }

        ApiServer.RegisterCustomResource("specs.smi-spec.io", "v1alpha3", "httproutegroups", "HTTPRouteGroup");
        ApiServer.RegisterCustomResource("specs.smi-spec.io", "v1alpha4", "httproutegroups", "HTTPRouteGroup");
        foreach (var version in new[] { "v1", "v1beta1" })
        {
            ApiServer.RegisterCustomResource("gateway.networking.k8s.io", version, "httproutes", "HTTPRoute", hasStatusSubresource: true);
            ApiServer.RegisterCustomResource("gateway.networking.k8s.io", version, "gateways", "Gateway", hasStatusSubresource: true);
        }

        ApiServer.RegisterCustomResource("policy.linkerd.io", "v1beta2", "httproutes", "HTTPRoute", hasStatusSubresource: true);
    }

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
