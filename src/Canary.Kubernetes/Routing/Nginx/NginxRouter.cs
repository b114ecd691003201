using System.Globalization;
using System.Text.Json.Nodes;
using Canary.Kubernetes.Client;
using Canary.Model;
using Canary.Routing;
using Microsoft.Extensions.Options;

namespace Canary.Kubernetes.Routing.Nginx;

/// <summary>
/// Routes through ingress-nginx canary Ingresses: <c>ingress-canary</c> is a copy of the user's Ingress (<c>spec.ingressRef</c>,
/// which must route to the apex Service) with its backends on <c>svc-canary</c>, weighted by <c>canary-weight</c> or, for an
/// A/B test, matched by <c>canary-by-header</c>/<c>canary-by-cookie</c>. The user's Ingress is never changed.
/// </summary>
/// <remarks>
/// ingress-nginx takes one canary per Ingress rule and attaches it to the main backend by host, path and pathType, so the
/// canary keeps exactly the user's rules and paths that reach the apex Service, and nothing else. A preview host gets an ordinary
/// Ingress, <c>ingress-preview</c>, on a Service of its own, <c>svc-preview</c>: a canary Service that a non-canary Ingress also
/// uses never receives canary traffic.
/// </remarks>
public sealed class NginxRouter : ITrafficRouter
{
    private static readonly string[] IngressSpecKeys = ["ingressClassName", "defaultBackend", "rules", "tls"];
    private static readonly string[] ServicePortKeys = ["name", "protocol", "appProtocol", "port", "targetPort"];

    private readonly IKubernetesApi _api;
    private readonly NginxAnnotations _annotations;

    /// <summary>Initializes a new instance of the <see cref="NginxRouter"/> class.</summary>
    /// <param name="api">The Kubernetes API.</param>
    /// <param name="options">The annotation prefix, or <see langword="null"/> for the default.</param>
    /// <exception cref="ArgumentException">The annotation prefix is empty or holds a <c>/</c>.</exception>
    public NginxRouter(IKubernetesApi api, IOptions<NginxRouterOptions>? options = null)
    {
        ArgumentNullException.ThrowIfNull(api);
        var prefix = options?.Value.AnnotationPrefix ?? NginxRouterOptions.DefaultAnnotationPrefix;
        if (string.IsNullOrWhiteSpace(prefix) || prefix.Contains('/', StringComparison.Ordinal))
        {
            throw new ArgumentException($"NginxRouterOptions.AnnotationPrefix: must be a DNS prefix without '/' (got \"{prefix}\")", nameof(options));
        }

        _api = api;
        _annotations = new NginxAnnotations(prefix);
    }

    /// <inheritdoc />
    public string Provider => TrafficProviders.Nginx;

    /// <inheritdoc />
    /// <exception cref="TrafficRouterException">
    /// <c>spec.ingressRef</c> is missing, names no Ingress, or an Ingress without rules or without a path to the apex Service; or the
    /// A/B matches cannot be expressed with ingress-nginx's annotations.
    /// </exception>
    public async ValueTask ReconcileAsync(CanaryResource canary, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(canary);
        var canaryIngress = await ReconcileCanaryIngressAsync(canary, cancellationToken);
        await ReconcilePreviewAsync(canary, canaryIngress, cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask<TrafficRoutes> GetRoutesAsync(CanaryResource canary, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(canary);
        var names = new CanaryNames(canary);
        var name = CanaryIngressName(canary);
        var current = await _api.TryGetAsync(ResourceType.Ingresses, names.Namespace, name, cancellationToken);
        if (current is null)
        {
            return TrafficRoutes.PrimaryOnly;
        }

        var annotations = JsonPath.StringMap(current, "metadata", "annotations");
        if (canary.Spec.Analysis.Match.Count > 0 &&
            (annotations.ContainsKey(_annotations.ByHeader) || annotations.ContainsKey(_annotations.ByCookie)))
        {
            return TrafficRoutes.CanaryOnly;
        }

        var weight = ReadNumber(annotations, _annotations.Weight, name) ?? 0;
        var total = ReadNumber(annotations, _annotations.WeightTotal, name) is > 100 and var custom ? custom : 100;
        return RouteWeights.FromRelative(total - Math.Min(weight, total), Math.Min(weight, total));
    }

    /// <inheritdoc />
    /// <remarks>Mirroring is not available with ingress-nginx: the result never reports it.</remarks>
    public async ValueTask<TrafficRoutes> SetRoutesAsync(CanaryResource canary, TrafficRoutes routes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(canary);
        var weight = RouteWeights.CanaryWeight(routes);
        var matches = canary.Spec.Analysis.Match;
        var desired = _annotations.ForRoutes(weight, matches);
        var names = new CanaryNames(canary);
        var name = CanaryIngressName(canary);
        var current = await _api.TryGetAsync(ResourceType.Ingresses, names.Namespace, name, cancellationToken)
            ?? await ReconcileCanaryIngressAsync(canary, cancellationToken);
        var patch = ManagedObjects.AnnotationPatch(
            JsonPath.StringMap(current, "metadata", "annotations"),
            desired,
            _annotations.IsCanaryAnnotation);
        if (patch is not null)
        {
            await _api.PatchAsync(
                ResourceType.Ingresses,
                names.Namespace,
                name,
                KubernetesPatch.Merge(new JsonObject { ["metadata"] = new JsonObject { ["annotations"] = patch } }),
                null,
                null,
                cancellationToken);
        }

        if (matches.Count > 0)
        {
            return weight > 0 ? TrafficRoutes.CanaryOnly : TrafficRoutes.PrimaryOnly;
        }

        return TrafficRoutes.ForCanary(weight);
    }

    private static string IngressRefName(CanaryResource canary) =>
        canary.Spec.IngressRef is { Name.Length: > 0 } reference
            ? reference.Name
            : throw new TrafficRouterException($"spec.ingressRef: is required by provider \"{TrafficProviders.Nginx}\"");

    private static string CanaryIngressName(CanaryResource canary) => $"{IngressRefName(canary)}-canary";

    private static int? ReadNumber(IReadOnlyDictionary<string, string> annotations, string key, string ingress)
    {
        if (!annotations.TryGetValue(key, out var text))
        {
            return null;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            ? number
            : throw new TrafficRouterException($"Ingress \"{ingress}\": annotation {key} must be a whole number (got \"{text}\")");
    }

    /// <summary>
    /// Copies the user's Ingress for the canary: its class and TLS, and of its rules only the paths whose backend is the apex Service,
    /// pointed at the canary Service. A path to another Service would make that Service's own traffic canary traffic.
    /// </summary>
    private static JsonObject CanarySpec(JsonObject userIngress, CanaryNames names, string ingressName)
    {
        if (JsonPath.Array(userIngress, "spec", "rules") is not { Count: > 0 } rules)
        {
            throw new TrafficRouterException($"spec.ingressRef: Ingress \"{ingressName}\" in namespace \"{names.Namespace}\" has no rules");
        }

        var canaryRules = new JsonArray();
        foreach (var rule in rules.OfType<JsonObject>())
        {
            var paths = new JsonArray();
            foreach (var path in JsonPath.Array(rule, "http", "paths")?.OfType<JsonObject>() ?? [])
            {
                if (JsonPath.String(path, "backend", "service", "name") != names.Apex)
                {
                    continue;
                }

                var copy = (JsonObject)path.DeepClone();
                copy["backend"]!["service"]!["name"] = names.CanaryService;
                paths.Add(copy);
            }

            if (paths.Count == 0)
            {
                continue;
            }

            var canaryRule = new JsonObject();
            if (JsonPath.String(rule, "host") is { } host)
            {
                canaryRule["host"] = host;
            }

            canaryRule["http"] = new JsonObject { ["paths"] = paths };
            canaryRules.Add(canaryRule);
        }

        if (canaryRules.Count == 0)
        {
            throw new TrafficRouterException(
                $"spec.ingressRef: Ingress \"{ingressName}\" in namespace \"{names.Namespace}\" routes no path to Service \"{names.Apex}\"; " +
                "its rules must send traffic to the canary's apex Service");
        }

        var spec = new JsonObject();
        if (JsonPath.String(userIngress, "spec", "ingressClassName") is { } className)
        {
            spec["ingressClassName"] = className;
        }

        spec["rules"] = canaryRules;
        if (JsonPath.Array(userIngress, "spec", "tls") is { Count: > 0 } tls)
        {
            spec["tls"] = tls.DeepClone();
        }

        return spec;
    }

    private static Dictionary<string, string> ClassAnnotation(JsonObject userIngress)
    {
        var annotations = new Dictionary<string, string>(StringComparer.Ordinal);
        if (JsonPath.String(userIngress, "metadata", "annotations", NginxAnnotations.IngressClass) is { } className)
        {
            annotations[NginxAnnotations.IngressClass] = className;
        }

        return annotations;
    }

    private async Task<JsonObject> ReconcileCanaryIngressAsync(CanaryResource canary, CancellationToken cancellationToken)
    {
        var names = new CanaryNames(canary);
        var ingressName = IngressRefName(canary);
        _ = _annotations.ForMatches(canary.Spec.Analysis.Match);
        var userIngress = await _api.TryGetAsync(ResourceType.Ingresses, names.Namespace, ingressName, cancellationToken)
            ?? throw new TrafficRouterException($"spec.ingressRef: Ingress \"{ingressName}\" not found in namespace \"{names.Namespace}\"");
        var spec = CanarySpec(userIngress, names, ingressName);
        var name = CanaryIngressName(canary);
        var current = await _api.TryGetAsync(ResourceType.Ingresses, names.Namespace, name, cancellationToken);
        var annotations = ClassAnnotation(userIngress);
        annotations[_annotations.Canary] = "true";
        JsonObject? owner = null;
        if (current is null)
        {
            // A new canary Ingress starts with no traffic; later reconciles leave the weight to SetRoutes.
            annotations[_annotations.Weight] = "0";
            owner = await ManagedObjects.OwnerReferenceAsync(_api, names, cancellationToken);
        }

        var desired = ManagedObjects.New(ResourceType.Ingresses, names.Namespace, name, owner, spec, JsonPath.ToObject(annotations));
        var owned = new OwnedFields(IngressSpecKeys, key => key == _annotations.Canary || key == NginxAnnotations.IngressClass);
        return await ManagedObjects.CreateOrPatchAsync(_api, ResourceType.Ingresses, current, desired, owned, cancellationToken);
    }

    private async Task ReconcilePreviewAsync(CanaryResource canary, JsonObject canaryIngress, CancellationToken cancellationToken)
    {
        var names = new CanaryNames(canary);
        var previewIngress = $"{IngressRefName(canary)}-preview";
        if (string.IsNullOrWhiteSpace(canary.Spec.Service.PreviewHost))
        {
            await ManagedObjects.DeleteIfManagedAsync(_api, ResourceType.Ingresses, names.Namespace, previewIngress, cancellationToken);
            await ManagedObjects.DeleteIfManagedAsync(_api, ResourceType.Services, names.Namespace, names.PreviewService, cancellationToken);
            return;
        }

        // The preview Service mirrors the canary Service; until that exists (the workloads create it), a later reconcile adds it.
        var canaryService = await _api.TryGetAsync(ResourceType.Services, names.Namespace, names.CanaryService, cancellationToken);
        if (canaryService is null)
        {
            return;
        }

        var currentService = await _api.TryGetAsync(ResourceType.Services, names.Namespace, names.PreviewService, cancellationToken);
        var currentIngress = await _api.TryGetAsync(ResourceType.Ingresses, names.Namespace, previewIngress, cancellationToken);
        var owner = currentService is null || currentIngress is null
            ? await ManagedObjects.OwnerReferenceAsync(_api, names, cancellationToken)
            : null;

        var serviceSpec = new JsonObject
        {
            ["selector"] = JsonPath.Object(canaryService, "spec", "selector")?.DeepClone() ?? new JsonObject(),
            ["ports"] = new JsonArray([.. (JsonPath.Array(canaryService, "spec", "ports") ?? []).OfType<JsonObject>().Select(PortCopy)]),
        };
        await ManagedObjects.CreateOrPatchAsync(
            _api,
            ResourceType.Services,
            currentService,
            ManagedObjects.New(ResourceType.Services, names.Namespace, names.PreviewService, currentService is null ? owner : null, serviceSpec),
            OwnedFields.Spec("selector", "ports"),
            cancellationToken);

        var paths = new JsonArray();
        var seen = new HashSet<(string?, string?)>();
        foreach (var path in (JsonPath.Array(canaryIngress, "spec", "rules") ?? []).SelectMany(r => JsonPath.Array(r, "http", "paths") ?? []).OfType<JsonObject>())
        {
            if (!seen.Add((JsonPath.String(path, "path"), JsonPath.String(path, "pathType"))))
            {
                continue;
            }

            var copy = (JsonObject)path.DeepClone();
            copy["backend"]!["service"]!["name"] = names.PreviewService;
            paths.Add(copy);
        }

        var ingressSpec = new JsonObject();
        if (JsonPath.String(canaryIngress, "spec", "ingressClassName") is { } className)
        {
            ingressSpec["ingressClassName"] = className;
        }

        ingressSpec["rules"] = new JsonArray(new JsonObject
        {
            ["host"] = canary.Spec.Service.PreviewHost,
            ["http"] = new JsonObject { ["paths"] = paths },
        });
        var annotations = ClassAnnotation(canaryIngress);
        await ManagedObjects.CreateOrPatchAsync(
            _api,
            ResourceType.Ingresses,
            currentIngress,
            ManagedObjects.New(ResourceType.Ingresses, names.Namespace, previewIngress, currentIngress is null ? owner : null, ingressSpec, JsonPath.ToObject(annotations)),
            new OwnedFields(IngressSpecKeys, key => key == NginxAnnotations.IngressClass),
            cancellationToken);
    }

    private static JsonObject PortCopy(JsonObject port)
    {
        var copy = new JsonObject();
        foreach (var key in ServicePortKeys)
        {
            if (port[key] is { } value)
            {
                copy[key] = value.DeepClone();
            }
        }

        return copy;
    }
}
