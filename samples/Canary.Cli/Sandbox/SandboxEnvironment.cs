using System.Reflection;
using Canary.Cli.Demo;
using Canary.Kubernetes.Client;
using Canary.Kubernetes.Configuration;
using Canary.Model;
using Canary.Testing.Kubernetes;
using Microsoft.Extensions.Logging;

namespace Canary.Cli.Sandbox;

/// <summary>
/// A local cluster for trying Canary with kubectl: the <see cref="FakeKubernetesApiServer"/> on 127.0.0.1 with Canary's CRDs (and the
/// routing CRDs of the chosen provider) installed, pods that serve for every Deployment (<see cref="SandboxClusters"/>), users and a
/// proxy per canary (<see cref="SandboxTraffic"/>) whose measurements answer the builtin metrics, and the
/// <see cref="Kubernetes.Controller.CanaryController"/> running every Canary applied, in every namespace.
/// </summary>
internal sealed class SandboxEnvironment : IAsyncDisposable
{
    /// <summary>The namespace of the kubeconfig's context and of the controller's Lease.</summary>
    public const string DefaultNamespace = "default";

    private static readonly ResourceType CustomResourceDefinitions = new("apiextensions.k8s.io", "v1", "customresourcedefinitions", namespaced: false, "CustomResourceDefinition");
    private KubernetesApiClient? _api;
    private SandboxClusters? _clusters;
    private SandboxTraffic? _traffic;
    private ControllerHost? _controller;
    private ILoggerFactory? _loggerFactory;

    private SandboxEnvironment(FakeKubernetesApiServer server, string kubeconfigPath)
    {
        ApiServer = server;
        KubeconfigPath = kubeconfigPath;
    }

    /// <summary>Gets the fake API server.</summary>
    public FakeKubernetesApiServer ApiServer { get; }

    /// <summary>Gets the full path of the kubeconfig written for kubectl.</summary>
    public string KubeconfigPath { get; }

    /// <summary>Gets the users and proxies of the canaries.</summary>
    public SandboxTraffic Traffic => _traffic!;

    /// <summary>Gets the controller.</summary>
    public ControllerHost Controller => _controller!;

    /// <summary>Gets the sample manifest that works in the sandbox (samples/specs/sandbox/podinfo.yaml).</summary>
    public static string Sample => ReadResource("Canary.Cli.Sandbox.podinfo.yaml");

    /// <summary>Starts the API server and everything around it, and writes the kubeconfig; the controller starts with <see cref="RunAsync"/>.</summary>
    /// <param name="options">The provider, the port and where the kubeconfig goes.</param>
    /// <param name="output">Where events and traffic are reported.</param>
    /// <param name="error">Where warnings go.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running sandbox.</returns>
    /// <exception cref="IOException">The port is taken, or the kubeconfig cannot be written.</exception>
    public static async Task<SandboxEnvironment> StartAsync(SandboxOptions options, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var server = new FakeKubernetesApiServer(new FakeKubernetesApiServerOptions { SimulateDeployments = false, Port = options.Port });
        var sandbox = new SandboxEnvironment(server, Path.GetFullPath(options.KubeconfigPath));
        try
        {
            await server.StartAsync(cancellationToken);
            await sandbox.StartPiecesAsync(options, output, error, cancellationToken);
            return sandbox;
        }
        catch
        {
            await sandbox.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs the controller until <paramref name="cancellationToken"/> is cancelled (Ctrl+C).</summary>
    /// <param name="cancellationToken">Stops the controller; running steps finish and the Lease is released.</param>
    /// <returns>A task that completes when the controller has stopped.</returns>
    public Task RunAsync(CancellationToken cancellationToken) => Controller.RunAsync(cancellationToken);

    /// <summary>Stops the users, the proxies, the pods, the controller's services and the API server.</summary>
    /// <returns>A task that completes when every port is free.</returns>
    public async ValueTask DisposeAsync()
    {
        if (_traffic is not null)
        {
            await _traffic.DisposeAsync();
        }

        if (_clusters is not null)
        {
            await _clusters.DisposeAsync();
        }

        if (_controller is not null)
        {
            await _controller.DisposeAsync();
        }

        _api?.Dispose();
        _loggerFactory?.Dispose();
        await ApiServer.DisposeAsync();
    }

    private static string ReadResource(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The resource {name} is missing from the canary command.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private async Task StartPiecesAsync(SandboxOptions options, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var configuration = new KubernetesClientConfiguration { Host = ApiServer.BaseAddress, AccessToken = "sandbox", Namespace = DefaultNamespace, ContextName = "canary-sandbox" };
        _api = new KubernetesApiClient(configuration, new KubernetesClientOptions { UserAgent = "canary-sandbox" });
        await InstallDefinitionsAsync(options.Provider, cancellationToken);
        await File.WriteAllTextAsync(KubeconfigPath, ApiServer.CreateKubeconfig(DefaultNamespace), cancellationToken);

        var loggerFactory = _loggerFactory = LoggerFactory.Create(logging => logging.AddProvider(new WarningLoggerProvider(error, LogLevel.Error)));
        _clusters = new SandboxClusters(_api, options, loggerFactory);
        await _clusters.StartAsync(cancellationToken);
        _traffic = new SandboxTraffic(_api, _clusters, options, output, loggerFactory);
        _controller = ControllerHost.Create(
            new ControllerHostSettings
            {
                Configuration = configuration,
                LeaseNamespace = DefaultNamespace,
                Provider = options.Provider,
                BuiltinMetrics = new SandboxMetricProvider(_traffic),
                ShutdownTimeout = options.ShutdownTimeout,
                Source = "Canary sandbox",
                Generator = "canary sandbox",
            },
            output,
            error);
        var controller = _controller.Controller;
        var traffic = _traffic;
        controller.CanariesChanged += (_, _) => traffic.Follow(controller.Canaries);
    }

    /// <summary>
    /// Installs deploy/crds through the API, as <c>kubectl apply -f deploy/crds</c> would, and serves the routing types of every
    /// provider as if their CRDs were installed (in the versions <paramref name="provider"/> pins, if it pins one), so that a user's
    /// Canary that names its own provider is routed as well as one that relies on the default.
    /// </summary>
    private async Task InstallDefinitionsAsync(string provider, CancellationToken cancellationToken)
    {
        var assembly = Assembly.GetExecutingAssembly();
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith("Canary.Cli.Sandbox.crds.", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            foreach (var definition in YamlDocuments.Read(ReadResource(name)))
            {
                await _api!.CreateAsync(CustomResourceDefinitions, null, definition, cancellationToken);
            }
        }

        var pinned = TrafficProviders.BaseName(provider);
        var routes = new[] { TrafficProviders.Traefik, TrafficProviders.Smi, TrafficProviders.GatewayApi }
            .Select(each => ProxyRouteResources.For(each == pinned || (pinned == TrafficProviders.Linkerd && each == TrafficProviders.Smi) ? provider : each))
            .OfType<ResourceType>()
            .Where(route => route.Group.Length > 0);
        foreach (var route in routes)
        {
            Serve(route);
        }
    }

    private void Serve(ResourceType route)
    {
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
}
