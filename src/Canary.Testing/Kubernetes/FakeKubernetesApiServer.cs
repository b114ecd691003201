using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Canary.Testing.Kubernetes;

/// <summary>
/// A Kubernetes API server for tests: real HTTP on 127.0.0.1 (a random port) over an in-memory store, with the
/// real server's semantics — one resourceVersion counter, 409 on stale writes, Status error bodies, the four patch
/// types, server-side apply with field ownership, the status and scale subresources, watches with bookmarks and
/// 410 Expired, owner-reference garbage collection — plus a Deployment-controller simulator, fault injection and a
/// request log. Namespaces <c>default</c> and <c>kube-system</c> exist from the start.
/// </summary>
public sealed class FakeKubernetesApiServer : IAsyncDisposable
{
    private readonly FakeKubernetesApiServerOptions _options;
    private readonly ResourceOperations _operations;
    private readonly FaultInjector _faults = new();
    private readonly CancellationTokenSource _shutdown = new();
    private WebApplication? _app;
    private Uri? _baseAddress;

    /// <summary>Creates a server with default options (system clock); call <see cref="StartAsync"/> before use.</summary>
    public FakeKubernetesApiServer()
        : this(new FakeKubernetesApiServerOptions())
    {
    }

    /// <summary>Creates a server; call <see cref="StartAsync"/> before use.</summary>
    /// <param name="options">Clock, watch history and simulator settings.</param>
    public FakeKubernetesApiServer(FakeKubernetesApiServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Port is < 0 or > 65535)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Port, "Port must be between 0 and 65535.");
        }

        if (options.WatchHistoryLimit < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.WatchHistoryLimit, "WatchHistoryLimit must be at least 1.");
        }

        _options = options;
        var store = new ObjectStore(options.WatchHistoryLimit, initialRevision: 100);
        _operations = new ResourceOperations(new ResourceCatalog(), store, options.TimeProvider);
        _operations.EnsureNamespace("default");
        _operations.EnsureNamespace("kube-system");
        DeploymentController = new DeploymentControllerSimulator(_operations, options.TimeProvider, options.SimulateDeployments);
    }

    /// <summary>The server's address, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    /// <exception cref="InvalidOperationException">The server has not been started.</exception>
    public Uri BaseAddress => _baseAddress ?? throw new InvalidOperationException("The fake API server has not been started; call StartAsync first.");

    /// <summary>The clock the server uses.</summary>
    public TimeProvider TimeProvider => _options.TimeProvider;

    /// <summary>The deployment-controller simulator (readiness delays, failing rollouts, <see cref="DeploymentControllerSimulator.Tick"/>).</summary>
    public DeploymentControllerSimulator DeploymentController { get; }

    /// <summary>Every request answered so far, in order of answer.</summary>
    public IReadOnlyList<RecordedRequest> Requests => _faults.Requests;

    /// <summary>How many watch connections are open now.</summary>
    public int ActiveWatchCount => _faults.ActiveWatches;

    /// <summary>The store's current resourceVersion (the one a LIST would return now).</summary>
    public string CurrentResourceVersion
    {
        get
        {
            lock (_operations.Store.Gate)
            {
                return ObjectStore.FormatRevision(_operations.Store.Revision);
            }
        }
    }

    /// <summary>Starts listening on 127.0.0.1, on <see cref="FakeKubernetesApiServerOptions.Port"/> or a free port.</summary>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>A task that completes when the server accepts connections.</returns>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (_app is not null)
        {
            throw new InvalidOperationException("The fake API server is already started.");
        }

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = typeof(FakeKubernetesApiServer).Assembly.GetName().Name });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, _options.Port);
            kestrel.AddServerHeader = false;
        });
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(5));
        var app = builder.Build();
        var handler = new ApiRequestHandler(_operations, _faults, _options, _shutdown.Token);
        app.Run(handler.HandleAsync);
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _baseAddress = new Uri(address.EndsWith('/') ? address : address + "/");
        _app = app;
    }

    /// <summary>Serves a custom resource type (as if its CRD had been installed), in discovery and on its REST paths.</summary>
    /// <param name="group">API group, e.g. <c>traefik.io</c>.</param>
    /// <param name="version">Version, e.g. <c>v1alpha1</c>.</param>
    /// <param name="plural">Resource plural, e.g. <c>traefikservices</c>.</param>
    /// <param name="kind">Kind, e.g. <c>TraefikService</c>.</param>
    /// <param name="namespaced">Whether objects live in namespaces.</param>
    /// <param name="hasStatusSubresource">Whether the type has a <c>/status</c> subresource.</param>
    public void RegisterCustomResource(string group, string version, string plural, string kind, bool namespaced = true, bool hasStatusSubresource = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(group);
        ArgumentException.ThrowIfNullOrEmpty(version);
        ArgumentException.ThrowIfNullOrEmpty(plural);
        ArgumentException.ThrowIfNullOrEmpty(kind);
        _operations.Catalog.Register(new ApiResource
        {
            Group = group,
            Version = version,
            Plural = plural,
            Kind = kind,
            Namespaced = namespaced,
            HasStatus = hasStatusSubresource,
            IsCustom = true,
            TracksGeneration = true,
            RequiresResourceVersionOnUpdate = true,
        });
    }

    /// <summary>
    /// Creates or replaces an object directly, without HTTP and without preconditions (for seeding tests). The object
    /// needs apiVersion, kind and metadata.name; a namespaced object without a namespace goes to <c>default</c>, and a
    /// missing namespace is created. Status is kept as given. Watchers see the change.
    /// </summary>
    /// <param name="obj">The object; it is copied, not kept.</param>
    /// <returns>The stored object with uid, resourceVersion and creationTimestamp.</returns>
    public JsonObject PutObject(JsonObject obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        return _operations.Seed(obj);
    }

    /// <summary>Reads an object directly, without HTTP.</summary>
    /// <param name="apiVersion">e.g. <c>apps/v1</c> or <c>v1</c>.</param>
    /// <param name="kind">e.g. <c>Deployment</c>.</param>
    /// <param name="name">The object's name.</param>
    /// <param name="namespace">The namespace; ignored for cluster-scoped kinds, <c>default</c> when null.</param>
    /// <returns>A copy of the object, or null when it does not exist.</returns>
    public JsonObject? GetObject(string apiVersion, string kind, string name, string? @namespace = null)
    {
        var resource = Resolve(apiVersion, kind);
        return _operations.TryGet(resource, resource.Namespaced ? @namespace ?? "default" : string.Empty, name);
    }

    /// <summary>Lists objects of a kind directly, without HTTP.</summary>
    /// <param name="apiVersion">e.g. <c>apps/v1</c>.</param>
    /// <param name="kind">e.g. <c>Deployment</c>.</param>
    /// <param name="namespace">Only this namespace, or all when null.</param>
    /// <returns>Copies of the objects in namespace/name order.</returns>
    public IReadOnlyList<JsonObject> ListObjects(string apiVersion, string kind, string? @namespace = null)
    {
        var resource = Resolve(apiVersion, kind);
        var list = _operations.List(resource, resource.Namespaced ? @namespace : null, new ListQuery(LabelSelector.Everything, FieldSelector.Everything, 0, null, null, null));
        return list["items"]!.AsArray().OfType<JsonObject>().Select(item =>
        {
            var copy = new JsonObject { ["kind"] = resource.Kind, ["apiVersion"] = resource.ApiVersion };
            foreach (var (key, value) in item)
            {
                if (key is not ("kind" or "apiVersion"))
                {
                    copy[key] = value?.DeepClone();
                }
            }

            return copy;
        }).ToList();
    }

    /// <summary>Deletes an object directly (background propagation: dependents are garbage-collected).</summary>
    /// <param name="apiVersion">e.g. <c>apps/v1</c>.</param>
    /// <param name="kind">e.g. <c>Deployment</c>.</param>
    /// <param name="name">The object's name.</param>
    /// <param name="namespace">The namespace; <c>default</c> when null.</param>
    /// <returns>False when there was no such object.</returns>
    public bool DeleteObject(string apiVersion, string kind, string name, string? @namespace = null)
    {
        var resource = Resolve(apiVersion, kind);
        return _operations.Remove(resource, resource.Namespaced ? @namespace ?? "default" : string.Empty, name);
    }

    /// <summary>Creates a namespace if it does not exist.</summary>
    /// <param name="name">The namespace name.</param>
    public void CreateNamespace(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        _operations.EnsureNamespace(name);
    }

    /// <summary>Makes the next <paramref name="times"/> requests that match fail with a Status of the given code and reason.</summary>
    /// <param name="predicate">Chooses the requests, e.g. <c>r => r.Method == "PATCH"</c>.</param>
    /// <param name="statusCode">The HTTP status, e.g. 500 or 429.</param>
    /// <param name="reason">The Status reason, e.g. <c>InternalError</c>.</param>
    /// <param name="message">The Status message; a default names the injection.</param>
    /// <param name="times">How many requests to fail (int.MaxValue for all).</param>
    /// <returns>The rule, to read its hits or remove it.</returns>
    public FaultRule FailNext(Func<FakeApiRequest, bool> predicate, int statusCode, string reason, string? message = null, int times = 1)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        ArgumentOutOfRangeException.ThrowIfLessThan(statusCode, 400);
        ArgumentOutOfRangeException.ThrowIfLessThan(times, 1);
        return _faults.Add(new FaultRule(predicate, times, stall: false, statusCode, reason, message ?? $"injected failure: {reason}"));
    }

    /// <summary>Makes the next <paramref name="times"/> matching requests hang until <see cref="FaultRule.Release"/> or the client gives up.</summary>
    /// <param name="predicate">Chooses the requests.</param>
    /// <param name="times">How many requests to stall.</param>
    /// <returns>The rule; call Release to let the stalled requests through.</returns>
    public FaultRule Stall(Func<FakeApiRequest, bool> predicate, int times = 1)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        ArgumentOutOfRangeException.ThrowIfLessThan(times, 1);
        return _faults.Add(new FaultRule(predicate, times, stall: true, 0, string.Empty, string.Empty));
    }

    /// <summary>Breaks the open watch connections that match (all when no predicate), as a network failure would.</summary>
    /// <param name="predicate">Chooses the watches by their request.</param>
    /// <returns>How many connections were dropped.</returns>
    public int DropWatches(Func<FakeApiRequest, bool>? predicate = null) => _faults.DropWatches(predicate ?? (_ => true));

    /// <summary>Removes every fault rule and releases stalled requests.</summary>
    public void ClearFaults() => _faults.Clear();

    /// <summary>Forgets the recorded requests.</summary>
    public void ClearRequests() => _faults.ClearRequests();

    /// <summary>Sends a BOOKMARK with the current resourceVersion to every watch that allowed bookmarks.</summary>
    public void SendBookmarks()
    {
        lock (_operations.Store.Gate)
        {
            _operations.Store.Bookmark();
        }
    }

    /// <summary>Drops the event history, so that watches and continue tokens from before now get 410 Expired.</summary>
    public void CompactWatchHistory()
    {
        lock (_operations.Store.Gate)
        {
            _operations.Store.Compact();
        }
    }

    /// <summary>A kubeconfig (YAML) whose current context points at this server, for kubectl or a client under test.</summary>
    /// <param name="namespace">The context's namespace.</param>
    /// <returns>The kubeconfig text.</returns>
    public string CreateKubeconfig(string @namespace = "default")
    {
        var server = BaseAddress.ToString().TrimEnd('/');
        var text = new StringBuilder();
        text.AppendLine("apiVersion: v1");
        text.AppendLine("kind: Config");
        text.AppendLine("clusters:");
        text.AppendLine("- name: fake");
        text.AppendLine("  cluster:");
        text.AppendLine(CultureInfo.InvariantCulture, $"    server: {server}");
        text.AppendLine("users:");
        text.AppendLine("- name: fake");
        text.AppendLine("  user:");
        text.AppendLine("    token: fake-token");
        text.AppendLine("contexts:");
        text.AppendLine("- name: fake");
        text.AppendLine("  context:");
        text.AppendLine("    cluster: fake");
        text.AppendLine("    user: fake");
        text.AppendLine(CultureInfo.InvariantCulture, $"    namespace: {@namespace}");
        text.AppendLine("current-context: fake");
        return text.ToString();
    }

    /// <summary>Stops the server: open watches end, stalled requests are abandoned.</summary>
    /// <returns>A task that completes when the server has stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        DeploymentController.Dispose();
        await _shutdown.CancelAsync();
        lock (_operations.Store.Gate)
        {
            _operations.Store.CompleteAll();
        }

        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        _faults.Clear();
        _shutdown.Dispose();
    }

    private ApiResource Resolve(string apiVersion, string kind)
    {
        ArgumentException.ThrowIfNullOrEmpty(apiVersion);
        ArgumentException.ThrowIfNullOrEmpty(kind);
        return _operations.Catalog.FindByKind(apiVersion, kind)
            ?? throw new ArgumentException($"The fake API server does not serve {kind} in {apiVersion}; register it first.", nameof(kind));
    }
}
