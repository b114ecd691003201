using System.Text.Json.Nodes;
using Canary.Model;
using Canary.Routing;

namespace Canary.Kubernetes.Routing.GatewayApi;

/// <summary>
/// Builds and reads the rules of an HTTPRoute (Gateway API, or Linkerd's policy API of the same shape). Every field the API server
/// would default (backend group and kind, match path, match type) is written out, so that the stored route compares equal to the
/// wanted one and a repeated apply writes nothing.
/// </summary>
internal static class HttpRouteSpec
{
    private const string Exact = "Exact";
    private const string RegularExpression = "RegularExpression";

    /// <summary>
    /// Returns the rules: one weighted rule for a canary; for an A/B test, the weighted rule for requests that match, then a rule
    /// that keeps every other request on the primary.
    /// </summary>
    public static JsonArray Rules(CanaryResource canary, TrafficRoutes routes)
    {
        var names = new CanaryNames(canary);
        var port = canary.Spec.Service.Port;
        var weighted = new JsonObject();
        var analysis = canary.Spec.Analysis;
        weighted["matches"] = analysis.Match.Count > 0 ? Matches(analysis.Match, "spec.analysis.match") : DefaultMatches(canary);
        weighted["backendRefs"] = new JsonArray(
            BackendRef(names.PrimaryService, port, routes.PrimaryWeight),
            BackendRef(names.CanaryService, port, routes.CanaryWeight));
        if (routes.Mirrored)
        {
            var mirror = new JsonObject { ["backendRef"] = ServiceRef(names.CanaryService, port) };
            if (analysis.MirrorWeight is { } percent)
            {
                mirror["percent"] = percent;
            }

            weighted["filters"] = new JsonArray(new JsonObject { ["type"] = "RequestMirror", ["requestMirror"] = mirror });
        }

        var rules = new JsonArray(weighted);
        if (analysis.Match.Count > 0)
        {
            rules.Add(new JsonObject
            {
                ["matches"] = DefaultMatches(canary),
                ["backendRefs"] = new JsonArray(BackendRef(names.PrimaryService, port, 100)),
            });
        }

        return rules;
    }

    /// <summary>Returns rules that send everything to one Service (the preview route's).</summary>
    public static JsonArray SingleBackend(CanaryResource canary, string service) =>
        new(new JsonObject
        {
            ["matches"] = DefaultMatches(canary),
            ["backendRefs"] = new JsonArray(BackendRef(service, canary.Spec.Service.Port, 100)),
        });

    /// <summary>Reads the weights of the first rule that names the primary or the canary; a backend without a weight weighs 1.</summary>
    public static TrafficRoutes Read(JsonObject route, CanaryNames names)
    {
        foreach (var rule in (JsonPath.Array(route, "spec", "rules") ?? []).OfType<JsonObject>())
        {
            double primary = 0;
            double canary = 0;
            var found = false;
            foreach (var backend in (JsonPath.Array(rule, "backendRefs") ?? []).OfType<JsonObject>())
            {
                var name = JsonPath.String(backend, "name");
                var weight = JsonPath.Integer(backend, "weight") ?? 1;
                if (name == names.PrimaryService)
                {
                    primary += weight;
                    found = true;
                }
                else if (name == names.CanaryService)
                {
                    canary += weight;
                    found = true;
                }
            }

            if (!found)
            {
                continue;
            }

            var mirrored = (JsonPath.Array(rule, "filters") ?? []).Any(f =>
                JsonPath.String(f, "type") == "RequestMirror" && JsonPath.String(f, "requestMirror", "backendRef", "name") == names.CanaryService);
            return RouteWeights.FromRelative(primary, canary, mirrored);
        }

        return TrafficRoutes.PrimaryOnly;
    }

    /// <summary>
    /// Returns why the route is not yet in effect, or <see langword="null"/> when every parent that reported on it accepted its
    /// current generation: the <c>Accepted</c> condition is True with an <c>observedGeneration</c> at least the route's.
    /// </summary>
    public static string? PendingReason(JsonObject route)
    {
        var generation = JsonPath.Integer(route, "metadata", "generation") ?? 0;
        var parents = JsonPath.Array(route, "status", "parents");
        if (parents is not { Count: > 0 })
        {
            return $"no parent has reported on generation {generation} yet";
        }

        foreach (var parent in parents.OfType<JsonObject>())
        {
            var parentName = JsonPath.String(parent, "parentRef", "name") ?? "(unnamed)";
            var accepted = (JsonPath.Array(parent, "conditions") ?? []).OfType<JsonObject>()
                .FirstOrDefault(c => JsonPath.String(c, "type") == "Accepted");
            if (accepted is null)
            {
                return $"parent \"{parentName}\" has not reported an Accepted condition";
            }

            var observed = JsonPath.Integer(accepted, "observedGeneration") ?? 0;
            if (observed < generation)
            {
                return $"parent \"{parentName}\" has not observed generation {generation} yet (observed {observed})";
            }

            if (JsonPath.String(accepted, "status") != "True")
            {
                return $"parent \"{parentName}\" did not accept it ({JsonPath.String(accepted, "reason")}: {JsonPath.String(accepted, "message")})";
            }
        }

        return null;
    }

    private static JsonObject ServiceRef(string name, int port) => new()
    {
        ["group"] = string.Empty,
        ["kind"] = "Service",
        ["name"] = name,
        ["port"] = port,
    };

    private static JsonObject BackendRef(string name, int port, int weight)
    {
        var backend = ServiceRef(name, port);
        backend["weight"] = weight;
        return backend;
    }

    private static JsonArray DefaultMatches(CanaryResource canary) =>
        canary.Spec.Service.Match.Count > 0
            ? Matches(canary.Spec.Service.Match, "spec.service.match")
            : new JsonArray(new JsonObject { ["path"] = RootPath() });

    private static JsonObject RootPath() => new() { ["type"] = "PathPrefix", ["value"] = "/" };

    private static JsonArray Matches(IReadOnlyList<HttpMatch> matches, string field)
    {
        var result = new JsonArray();
        for (var i = 0; i < matches.Count; i++)
        {
            var match = new JsonObject { ["path"] = RootPath() };
            var headers = Conditions(matches[i].Headers);
            if (headers.Count > 0)
            {
                match["headers"] = headers;
            }

            var query = Conditions(matches[i].QueryParams);
            if (query.Count > 0)
            {
                match["queryParams"] = query;
            }

            if (headers.Count == 0 && query.Count == 0)
            {
                throw new TrafficRouterException($"{field}[{i}]: needs at least one header or query parameter condition");
            }

            result.Add(match);
        }

        return result;
    }

    /// <summary>
    /// Translates conditions into Gateway API matches: exact stays Exact; prefix, suffix and regex become anchored
    /// RegularExpressions, which Gateway API leaves to the implementation (RE2 in most).
    /// </summary>
    private static JsonArray Conditions(IReadOnlyDictionary<string, StringMatch> conditions)
    {
        var result = new JsonArray();
        foreach (var (name, condition) in conditions.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var (type, value) = condition.Kind switch
            {
                StringMatchKind.Exact => (Exact, condition.Value),
                StringMatchKind.Prefix => (RegularExpression, "^" + RegexText.Escape(condition.Value) + ".*"),
                StringMatchKind.Suffix => (RegularExpression, ".*" + RegexText.Escape(condition.Value) + "$"),
                _ => (RegularExpression, condition.Value),
            };
            result.Add(new JsonObject { ["type"] = type, ["name"] = name, ["value"] = value });
        }

        return result;
    }
}
