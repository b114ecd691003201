using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Canary.Kubernetes.Client;
using Microsoft.AspNetCore.Http;

namespace Canary.Cli.Demo;

/// <summary>
/// Routes as ingress-nginx does with a canary Ingress: the main Ingress's rule and path choose the location; a canary Ingress
/// (<c>canary: "true"</c>) with the same host, path and pathType and another Service is its alternative backend; the oldest such
/// canary wins (ingress-nginx uses only the first). Per request: header, then cookie, then weight, as its balancer evaluates them.
/// </summary>
internal sealed class NginxRoutePlan : RoutePlan
{
    private readonly RouteSettings _settings;
    private readonly IngressInfo? _main;
    private readonly IReadOnlyList<IngressInfo> _canaries;

    private NginxRoutePlan(RouteSettings settings, IngressInfo? main, IReadOnlyList<IngressInfo> canaries)
    {
        _settings = settings;
        _main = main;
        _canaries = canaries;
    }

    public override string Description
    {
        get
        {
            if (_main is null)
            {
                return $"no Ingress {_settings.Ingress}: every request gets 404";
            }

            var first = _main.Paths.Count > 0 ? _main.Paths[0] : null;
            var alternative = first is null ? null : Alternative(first);
            return alternative is null
                ? $"Ingress {_main.Name} -> {first?.Service ?? "(no backend)"} (no canary Ingress)"
                : $"Ingress {_main.Name} -> {first!.Service}; canary Ingress {alternative.Value.Ingress.Name} -> {alternative.Value.Path.Service}: {alternative.Value.Ingress.Policy}";
        }
    }

    public override double? CanaryShare
    {
        get
        {
            var first = _main is { Paths.Count: > 0 } main ? main.Paths[0] : null;
            if (first is null)
            {
                return null;
            }

            return Alternative(first) is { } alternative ? alternative.Ingress.Policy.Share : 0;
        }
    }

    public static NginxRoutePlan Build(IEnumerable<JsonObject> ingresses, RouteSettings settings)
    {
        var parsed = ingresses.Select(i => IngressInfo.Parse(i, settings)).ToList();
        var main = parsed.FirstOrDefault(i => i.Name == settings.Ingress);

        // ingress-nginx orders Ingresses by creation time, then by namespace and name.
        var canaries = parsed.Where(i => i.Name != settings.Ingress && i.Policy.Enabled)
            .OrderBy(i => i.Created).ThenBy(i => i.Name, StringComparer.Ordinal)
            .ToList();
        return new NginxRoutePlan(settings, main, canaries);
    }

    public override RouteDecision Choose(HttpRequest request, RouteContext context)
    {
        if (_main is null)
        {
            return RouteDecision.NoRoute($"no Ingress {_settings.Ingress} in namespace {_settings.Namespace}");
        }

        var host = RouteMatching.Host(request);
        var path = request.Path.Value is { Length: > 0 } p ? p : "/";
        var location = _main.Paths
            .Where(candidate => RouteMatching.HostMatches(candidate.Host, host, singleLabelWildcard: true) && candidate.Matches(path))
            .OrderByDescending(candidate => candidate.Path.Length)
            .ThenByDescending(candidate => candidate.PathType == "Exact")
            .FirstOrDefault() ?? _main.DefaultBackend;
        if (location is null)
        {
            return RouteDecision.NoRoute($"no rule of Ingress {_main.Name} matches host {host} and path {path}");
        }

        // ingress-nginx answers 503 when the main upstream has no endpoints, even for requests the canary would take.
        if (context.EndpointCount(location.Service) == 0)
        {
            return new RouteDecision(location.Service, location.Port, location.Path, StatusCodes.Status503ServiceUnavailable, $"Service {location.Service} has no ready endpoints", _main.Name);
        }

        var alternative = location == _main.DefaultBackend ? null : Alternative(location);
        if (alternative is { } canary && canary.Ingress.Policy.RoutesToCanary(request, context.Random))
        {
            return RouteDecision.Forward(canary.Path.Service, canary.Path.Port, location.Path, _main.Name);
        }

        return RouteDecision.Forward(location.Service, location.Port, location.Path, _main.Name);
    }

    private (IngressInfo Ingress, IngressPath Path)? Alternative(IngressPath location)
    {
        foreach (var canary in _canaries)
        {
            var path = canary.Paths.FirstOrDefault(p => p.Host == location.Host && p.Path == location.Path && p.PathType == location.PathType);

            // An alternative backend that is the primary upstream itself is dropped by ingress-nginx.
            if (path is not null && path.Service != location.Service)
            {
                return (canary, path);
            }
        }

        return null;
    }

    internal sealed record IngressPath(string Host, string Path, string PathType, string Service, int Port)
    {
        public bool Matches(string requestPath) => PathType switch
        {
            "Exact" => requestPath == Path,
            "Prefix" => RouteMatching.PrefixMatches(Path, requestPath),

            // ingress-nginx serves ImplementationSpecific paths as nginx prefix locations: a plain string prefix.
            _ => requestPath.StartsWith(Path, StringComparison.Ordinal),
        };
    }

    internal sealed record IngressInfo(string Name, DateTimeOffset Created, CanaryPolicy Policy, IReadOnlyList<IngressPath> Paths, IngressPath? DefaultBackend)
    {
        public static IngressInfo Parse(JsonObject ingress, RouteSettings settings)
        {
            var name = KubernetesObject.GetName(ingress) ?? string.Empty;
            var created = DateTimeOffset.TryParse(RouteMatching.String(ingress["metadata"]?["creationTimestamp"]), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
                ? time
                : DateTimeOffset.MinValue;
            var annotations = ingress["metadata"]?["annotations"] as JsonObject;
            var paths = new List<IngressPath>();
            foreach (var rule in RouteMatching.Objects(ingress["spec"]?["rules"]))
            {
                var host = (RouteMatching.String(rule["host"]) ?? string.Empty).ToLowerInvariant();
                foreach (var entry in RouteMatching.Objects(rule["http"]?["paths"]))
                {
                    if (Backend(entry["backend"], settings) is { } backend)
                    {
                        var path = RouteMatching.String(entry["path"]) is { Length: > 0 } text ? text : "/";
                        paths.Add(new IngressPath(host, path, RouteMatching.String(entry["pathType"]) ?? "ImplementationSpecific", backend.Service, backend.Port));
                    }
                }
            }

            var fallback = Backend(ingress["spec"]?["defaultBackend"], settings) is { } b ? new IngressPath(string.Empty, "/", "Prefix", b.Service, b.Port) : null;
            return new IngressInfo(name, created, CanaryPolicy.Parse(annotations, settings.AnnotationPrefix), paths, fallback);
        }

        private static (string Service, int Port)? Backend(JsonNode? backend, RouteSettings settings)
        {
            var service = backend?["service"];
            if (RouteMatching.String(service?["name"]) is not { Length: > 0 } name)
            {
                return null;
            }

            var port = RouteMatching.Integer(service?["port"]?["number"]);
            return (name, port is > 0 and <= 65535 ? (int)port : settings.Port);
        }
    }

    /// <summary>The canary annotations of one Ingress, as ingress-nginx parses them.</summary>
    internal sealed record CanaryPolicy(bool Enabled, string? Header, string? HeaderValue, string? HeaderPattern, Regex? HeaderRegex, string? Cookie, int Weight, int WeightTotal)
    {
        /// <summary>Gets the share the weight gives the canary: the balancer draws 1..total and routes to the canary when the draw is at most the weight.</summary>
        public double Share => Math.Clamp((double)Weight / WeightTotal, 0, 1);

        public static CanaryPolicy Parse(JsonObject? annotations, string prefix)
        {
            string? Get(string name) => RouteMatching.String(annotations?[$"{prefix}/{name}"]) is { Length: > 0 } value ? value : null;

            var enabled = Get("canary") is { } flag && flag is "true" or "True" or "TRUE" or "t" or "T" or "1";

            // An integer that does not parse leaves the default, as ingress-nginx's parser does.
            var weight = int.TryParse(Get("canary-weight"), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var w) ? w : 0;
            var declaredTotal = int.TryParse(Get("canary-weight-total"), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var t) ? t : 100;

            // The balancer uses the total only when it exceeds 100.
            var total = declaredTotal > 100 ? declaredTotal : 100;
            var pattern = Get("canary-by-header-pattern");
            return new CanaryPolicy(enabled, Get("canary-by-header"), Get("canary-by-header-value"), pattern, pattern is null ? null : RouteMatching.Search(pattern), Get("canary-by-cookie"), weight, total);
        }

        /// <summary>The balancer's decision for one request: header, then cookie, then weight.</summary>
        public bool RoutesToCanary(HttpRequest request, LockedRandom random)
        {
            if (Header is not null && request.Headers.TryGetValue(Header, out var values) && values.Count > 0 && values[0] is { } header)
            {
                if (HeaderValue is not null)
                {
                    if (header == HeaderValue)
                    {
                        return true;
                    }
                }
                else if (HeaderPattern is not null)
                {
                    // A pattern that does not compile is an error in the balancer, which then keeps the request on the main backend.
                    if (HeaderRegex is null)
                    {
                        return false;
                    }

                    if (RouteMatching.IsMatch(HeaderRegex, header))
                    {
                        return true;
                    }
                }
                else if (header == "always")
                {
                    return true;
                }
                else if (header == "never")
                {
                    return false;
                }
            }

            if (Cookie is not null && request.Cookies.TryGetValue(Cookie, out var cookie))
            {
                if (cookie == "always")
                {
                    return true;
                }

                if (cookie == "never")
                {
                    return false;
                }
            }

            return random.Next(1, WeightTotal + 1) <= Weight;
        }

        public override string ToString()
        {
            var parts = new List<string> { $"weight {Weight.ToString(CultureInfo.InvariantCulture)}/{WeightTotal.ToString(CultureInfo.InvariantCulture)}" };
            if (Header is not null)
            {
                parts.Add(HeaderValue is not null ? $"header {Header}={HeaderValue}" : HeaderPattern is not null ? $"header {Header}~{HeaderPattern}" : $"header {Header}=always|never");
            }

            if (Cookie is not null)
            {
                parts.Add($"cookie {Cookie}=always|never");
            }

            return string.Join(", ", parts);
        }
    }
}
