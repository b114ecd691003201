using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Canary.Testing.Kubernetes;

/// <summary>The HTTP face of the fake server: routing, query options, fault injection, request log and watch streams.</summary>
internal sealed class ApiRequestHandler
{
    private readonly ResourceOperations _operations;
    private readonly FaultInjector _faults;
    private readonly FakeKubernetesApiServerOptions _options;
    private readonly CancellationToken _shutdown;

    public ApiRequestHandler(ResourceOperations operations, FaultInjector faults, FakeKubernetesApiServerOptions options, CancellationToken shutdown)
    {
        _operations = operations;
        _faults = faults;
        _options = options;
        _shutdown = shutdown;
    }

    public async Task HandleAsync(HttpContext context)
    {
        var request = new FakeApiRequest(
            context.Request.Method.ToUpperInvariant(),
            context.Request.Path.Value ?? "/",
            context.Request.QueryString.Value?.TrimStart('?') ?? string.Empty,
            context.Request.ContentType);
        var recorded = 0;
        context.Response.OnStarting(() =>
        {
            if (Interlocked.Exchange(ref recorded, 1) == 0)
            {
                _faults.Record(Record(request, context.Response.StatusCode, context));
            }

            return Task.CompletedTask;
        });
        using var aborted = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _shutdown);
        try
        {
            var fault = _faults.Match(request);
            if (fault is { IsStall: true })
            {
                await fault.WaitAsync(aborted.Token);
            }
            else if (fault is not null)
            {
                await WriteAsync(context, fault.StatusCode, ApiErrors.Injected(fault.StatusCode, fault.Reason, fault.Message));
                return;
            }

            await RouteAsync(context, request, aborted.Token);
        }
        catch (KubernetesStatusException e) when (!context.Response.HasStarted)
        {
            await WriteAsync(context, e.Code, e.Status);
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            // The client went away or the server is stopping: there is nobody to answer.
        }
        catch (IOException) when (aborted.IsCancellationRequested || context.Response.HasStarted)
        {
            // The connection broke while streaming (a dropped watch): nothing more to send.
        }
        finally
        {
            if (Interlocked.Exchange(ref recorded, 1) == 0)
            {
                _faults.Record(Record(request, context.RequestAborted.IsCancellationRequested ? 499 : context.Response.StatusCode, context));
            }
        }
    }

    private static RecordedRequest Record(FakeApiRequest request, int status, HttpContext context) =>
        new(request.Method, request.Path, request.Query, request.ContentType, status) { UserAgent = context.Request.Headers.UserAgent.ToString() };

    private async Task RouteAsync(HttpContext context, FakeApiRequest request, CancellationToken cancellationToken)
    {
        var segments = request.Path.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).ToArray();
        var catalog = _operations.Catalog;
        switch (segments)
        {
            case ["version"]:
                await WriteAsync(context, 200, VersionInfo());
                return;
            case ["healthz" or "readyz" or "livez", ..]:
                context.Response.ContentType = "text/plain; charset=utf-8";
                await context.Response.WriteAsync("ok", cancellationToken);
                return;
            case ["openapi", "v3"]:
                await WriteAsync(context, 200, OpenApiDocuments.Root(catalog));
                return;
            case ["openapi", "v3", .. var path] when OpenApiDocuments.Parse(path) is var (openApiGroup, openApiVersion) && catalog.HasGroupVersion(openApiGroup, openApiVersion):
                await WriteAsync(context, 200, OpenApiDocuments.GroupVersion(catalog, openApiGroup, openApiVersion));
                return;
            case ["api"]:
                await WriteAsync(context, 200, ResourceCatalog.ApiVersions(context.Request.Host.Value ?? "127.0.0.1"));
                return;
            case ["apis"]:
                await WriteAsync(context, 200, catalog.GroupList());
                return;
            case ["api", var coreVersion] when catalog.HasGroupVersion(string.Empty, coreVersion):
                await WriteAsync(context, 200, catalog.ResourceList(string.Empty, coreVersion));
                return;
            case ["apis", var group]:
                await WriteAsync(context, 200, catalog.GroupDocument(group) ?? throw ApiErrors.PathNotFound());
                return;
            case ["apis", var group, var version] when catalog.HasGroupVersion(group, version):
                await WriteAsync(context, 200, catalog.ResourceList(group, version));
                return;
            case ["api", var version, .. var rest] when rest.Length > 0 && catalog.HasGroupVersion(string.Empty, version):
                await ResourceAsync(context, request, ParsePath(string.Empty, version, rest), cancellationToken);
                return;
            case ["apis", var group, var version, .. var rest] when rest.Length > 0 && catalog.HasGroupVersion(group, version):
                await ResourceAsync(context, request, ParsePath(group, version, rest), cancellationToken);
                return;
            default:
                throw ApiErrors.PathNotFound();
        }
    }

    private ResourcePath ParsePath(string group, string version, string[] rest)
    {
        var catalog = _operations.Catalog;
        string? @namespace = null;
        var tail = rest;
        if (rest.Length >= 3 && rest[0] == "namespaces" && catalog.Find(group, version, rest[2]) is { Namespaced: true })
        {
            @namespace = rest[1];
            tail = rest[2..];
        }

        if (tail.Length > 3)
        {
            throw ApiErrors.PathNotFound();
        }

        var resource = catalog.Find(group, version, tail[0]) ?? throw ApiErrors.PathNotFound();
        var name = tail.Length > 1 ? tail[1] : null;
        var subresource = tail.Length > 2 ? tail[2] : null;
        if (resource.Namespaced && @namespace is null && name is not null)
        {
            throw ApiErrors.PathNotFound();
        }

        if (subresource is not null && !(subresource == "status" && resource.HasStatus) && !(subresource == "scale" && resource.HasScale))
        {
            throw ApiErrors.PathNotFound();
        }

        return new ResourcePath(resource, @namespace, name, subresource);
    }

    private async Task ResourceAsync(HttpContext context, FakeApiRequest request, ResourcePath path, CancellationToken cancellationToken)
    {
        var query = context.Request.Query;
        var resource = path.Resource;
        var ns = path.Namespace ?? string.Empty;
        var write = WriteOptions(context, path);
        switch (request.Method)
        {
            case "GET" when request.IsWatch:
                await WatchAsync(context, request, path, cancellationToken);
                return;
            case "GET" when path.Name is null:
                var list = _operations.List(resource, path.Namespace, ListOptions(query, resource));
                await WriteAsync(context, 200, AsTable(context, resource) is { } listTable
                    ? listTable((list["items"] as JsonArray ?? []).OfType<JsonObject>(), JsonTools.GetString(list["metadata"], "resourceVersion"))
                    : list);
                return;
            case "GET" when path.Subresource == "scale":
                await WriteAsync(context, 200, _operations.GetScale(resource, ns, path.Name));
                return;
            case "GET":
                var found = _operations.Get(resource, ns, path.Name);
                await WriteAsync(context, 200, path.Subresource is null && AsTable(context, resource) is { } table
                    ? table([found], JsonTools.ResourceVersion(found))
                    : found);
                return;
            case "POST" when path.Name is null:
                var created = _operations.Create(write, await ReadBodyAsync(context, resource, cancellationToken));
                await WriteAsync(context, created.Code, created.Object);
                return;
            case "PUT" when path.Name is not null && path.Subresource == "scale":
                var scaleBody = await ReadBodyAsync(context, resource, cancellationToken);
                var scaled = _operations.WriteScale(write, _ => scaleBody);
                await WriteAsync(context, scaled.Code, scaled.Object);
                return;
            case "PUT" when path.Name is not null:
                var updated = _operations.Update(write, await ReadBodyAsync(context, resource, cancellationToken));
                await WriteAsync(context, updated.Code, updated.Object);
                return;
            case "PATCH" when path.Name is not null && path.Subresource == "scale":
                var scalePatch = await ReadTextAsync(context, cancellationToken);
                var patchedScale = _operations.WriteScale(write, scale => PatchScale(scale, request.ContentType ?? string.Empty, scalePatch));
                await WriteAsync(context, patchedScale.Code, patchedScale.Object);
                return;
            case "PATCH" when path.Name is not null:
                var patched = _operations.Patch(write, request.ContentType ?? string.Empty, await ReadTextAsync(context, cancellationToken));
                await WriteAsync(context, patched.Code, patched.Object);
                return;
            case "DELETE" when path.Name is not null && path.Subresource is null:
                var options = await ReadTextAsync(context, cancellationToken);
                var optionsObject = string.IsNullOrWhiteSpace(options) ? null : ParseJson(options, "DeleteOptions") as JsonObject;
                var deleted = _operations.Delete(write, optionsObject, QueryValue(query, "propagationPolicy"));
                await WriteAsync(context, deleted.Code, deleted.Object);
                return;
            case "DELETE" when path.Name is null:
                await WriteAsync(context, 200, _operations.DeleteCollection(write, ListOptions(query, resource), QueryValue(query, "propagationPolicy")));
                return;
            default:
                throw ApiErrors.MethodNotAllowed();
        }
    }

    /// <summary>
    /// When kubectl asks for a Table (it does when it prints for people), returns how to render objects of the type as one;
    /// otherwise <see langword="null"/>.
    /// </summary>
    private Func<IEnumerable<JsonObject>, string?, JsonObject>? AsTable(HttpContext context, ApiResource resource)
    {
        if (!TableDocuments.IsRequested(context.Request.Headers.Accept.ToString()))
        {
            return null;
        }

        var includeObject = QueryValue(context.Request.Query, "includeObject");
        return (objects, resourceVersion) => TableDocuments.Create(resource, objects, resourceVersion, includeObject, _options.TimeProvider.GetUtcNow());
    }

    private static JsonNode? PatchScale(JsonObject scale, string contentType, string body)
    {
        var patch = ParseJson(body, "patch");
        return contentType.Split(';')[0].Trim().ToLowerInvariant() switch
        {
            "application/json-patch+json" => JsonPatch.Apply(scale, patch),
            "application/merge-patch+json" or "application/strategic-merge-patch+json" => JsonMergePatch.Apply(scale, patch),
            _ => throw ApiErrors.UnsupportedMediaType(["application/json-patch+json", "application/merge-patch+json", "application/strategic-merge-patch+json"]),
        };
    }

    private async Task WatchAsync(HttpContext context, FakeApiRequest request, ResourcePath path, CancellationToken cancellationToken)
    {
        var query = context.Request.Query;
        var resource = path.Resource;
        var labels = LabelSelector.Parse(QueryValue(query, "labelSelector"));
        var fields = FieldSelector.Parse(path.Name is null ? QueryValue(query, "fieldSelector") : "metadata.name=" + path.Name, resource);
        var bookmarks = QueryValue(query, "allowWatchBookmarks") == "true";
        var sendInitial = QueryValue(query, "sendInitialEvents") == "true";
        var resourceVersion = QueryValue(query, "resourceVersion");
        long? start = null;
        if (!string.IsNullOrEmpty(resourceVersion) && resourceVersion != "0" && !sendInitial)
        {
            if (!long.TryParse(resourceVersion, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
            {
                throw ApiErrors.BadRequest($"invalid resource version: {resourceVersion}");
            }

            start = parsed;
        }

        var timeout = _options.DefaultWatchTimeout;
        if (int.TryParse(QueryValue(query, "timeoutSeconds"), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds > 0)
        {
            timeout = TimeSpan.FromSeconds(seconds);
        }

        var subscription = new WatchSubscription(resource, path.Namespace, labels, fields, bookmarks);
        bool accepted;
        long oldest;
        lock (_operations.Store.Gate)
        {
            accepted = _operations.Store.Subscribe(subscription, start, sendInitial && bookmarks);
            oldest = _operations.Store.CompactedThrough + 1;
        }

        using var tracking = _faults.TrackWatch(request, context);
        using var timeoutSource = new CancellationTokenSource(timeout, _options.TimeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutSource.Token);
        using var bookmarkTimer = bookmarks
            ? _options.TimeProvider.CreateTimer(_ => SendBookmark(subscription), null, _options.BookmarkInterval, _options.BookmarkInterval)
            : null;
        try
        {
            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/json";
            await context.Response.StartAsync(cancellationToken);
            await context.Response.Body.FlushAsync(cancellationToken);
            if (!accepted)
            {
                var expired = new WatchFrame("ERROR", ApiErrors.Expired($"too old resource version: {resourceVersion} ({oldest})"));
                await context.Response.WriteAsync(expired.ToLine(), cancellationToken);
                return;
            }

            var table = AsTable(context, resource);
            await foreach (var frame in subscription.Reader.ReadAllAsync(linked.Token))
            {
                var line = table is not null && frame.Type is "ADDED" or "MODIFIED" or "DELETED"
                    ? (frame with { Object = table([frame.Object], JsonTools.ResourceVersion(frame.Object)) }).ToLine()
                    : frame.ToLine();
                await context.Response.WriteAsync(line, linked.Token);
                await context.Response.Body.FlushAsync(linked.Token);
            }
        }
        catch (OperationCanceledException) when (timeoutSource.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // timeoutSeconds elapsed: the server ends the watch normally and the client rewatches.
        }
        finally
        {
            lock (_operations.Store.Gate)
            {
                _operations.Store.Unsubscribe(subscription);
            }
        }
    }

    private void SendBookmark(WatchSubscription subscription)
    {
        lock (_operations.Store.Gate)
        {
            subscription.Bookmark(_operations.Store.Revision, initialEventsEnd: false);
        }
    }

    private static ListQuery ListOptions(IQueryCollection query, ApiResource resource)
    {
        var limit = 0;
        var limitText = QueryValue(query, "limit");
        if (!string.IsNullOrEmpty(limitText) && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 0))
        {
            throw ApiErrors.BadRequest($"invalid limit: {limitText}");
        }

        return new ListQuery(
            LabelSelector.Parse(QueryValue(query, "labelSelector")),
            FieldSelector.Parse(QueryValue(query, "fieldSelector"), resource),
            limit,
            QueryValue(query, "continue"),
            QueryValue(query, "resourceVersion"),
            QueryValue(query, "resourceVersionMatch"));
    }

    private static WriteRequest WriteOptions(HttpContext context, ResourcePath path)
    {
        var query = context.Request.Query;
        var manager = QueryValue(query, "fieldManager");
        var dryRun = QueryValue(query, "dryRun");
        if (!string.IsNullOrEmpty(dryRun) && dryRun != "All")
        {
            throw ApiErrors.BadRequest($"Invalid dry run value: {dryRun}; supported values: \"All\"");
        }

        if (manager is { Length: > 128 })
        {
            throw ApiErrors.InvalidOptions("PatchOptions.meta.k8s.io", "PatchOptions", "meta.k8s.io", "fieldManager", "FieldValueTooLong", "Too long: may not be more than 128 bytes");
        }

        var force = QueryValue(query, "force");
        return new WriteRequest(path.Resource, path.Namespace, path.Name, path.Subresource, string.IsNullOrEmpty(manager) ? ManagerFromUserAgent(context) : manager)
        {
            DryRun = dryRun == "All",
            Force = force == "true",
            ForceSpecified = !string.IsNullOrEmpty(force),
            FieldManagerSpecified = !string.IsNullOrEmpty(manager),
        };
    }

    /// <summary>Like the real server: the User-Agent up to its first '/', when the request names no field manager.</summary>
    private static string ManagerFromUserAgent(HttpContext context)
    {
        var agent = context.Request.Headers.UserAgent.ToString();
        var prefix = agent.Split('/')[0].Trim();
        return prefix.Length == 0 ? "unknown" : prefix.Length > 128 ? prefix[..128] : prefix;
    }

    private static string? QueryValue(IQueryCollection query, string name) =>
        query.TryGetValue(name, out var values) && values.Count > 0 ? values[0] : null;

    private static async Task<string> ReadTextAsync(HttpContext context, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        return await reader.ReadToEndAsync(cancellationToken);
    }

    private static async Task<JsonNode?> ReadBodyAsync(HttpContext context, ApiResource resource, CancellationToken cancellationToken)
    {
        var text = await ReadTextAsync(context, cancellationToken);
        if (string.IsNullOrWhiteSpace(text))
        {
            throw ApiErrors.BadRequest($"Object '{resource.Kind}' is missing in ''");
        }

        var contentType = context.Request.ContentType ?? "application/json";
        if (contentType.Contains("yaml", StringComparison.OrdinalIgnoreCase))
        {
            return YamlJson.Parse(text);
        }

        try
        {
            return JsonTools.Parse(text);
        }
        catch (JsonException e)
        {
            throw ApiErrors.Undecodable(resource, e.Message);
        }
    }

    private static JsonNode? ParseJson(string text, string what)
    {
        try
        {
            return JsonTools.Parse(text);
        }
        catch (JsonException e)
        {
            throw ApiErrors.BadRequest($"error decoding {what}: {e.Message}");
        }
    }

    private JsonObject VersionInfo()
    {
        var version = _options.KubernetesVersion.TrimStart('v');
        var parts = version.Split('.');
        return new JsonObject
        {
            ["major"] = parts[0],
            ["minor"] = parts.Length > 1 ? parts[1] : "0",
            ["gitVersion"] = "v" + version,
            ["gitCommit"] = "0000000000000000000000000000000000000000",
            ["gitTreeState"] = "clean",
            ["buildDate"] = "2024-01-01T00:00:00Z",
            ["goVersion"] = "go1.22.0",
            ["compiler"] = "gc",
            ["platform"] = "linux/amd64",
        };
    }

    private static async Task WriteAsync(HttpContext context, int code, JsonNode body)
    {
        context.Response.StatusCode = code;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(JsonTools.Serialize(body));
    }

    private sealed record ResourcePath(ApiResource Resource, string? Namespace, string? Name, string? Subresource);
}
