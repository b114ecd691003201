using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Canary.Kubernetes.Client;
using Microsoft.AspNetCore.Http;

namespace Canary.Cli.Demo;

/// <summary>
/// Routes through an HTTPRoute (Gateway API, or Linkerd's policy.linkerd.io copy): the request must match one of
/// <c>spec.hostnames</c> when there are any; among all rules' matches (no matches = PathPrefix <c>/</c>; a match ANDs its path,
/// method, headers and query parameters) the most precise wins — exact path, then the longest prefix, then a method, then most
/// headers, then most query parameters, then the first rule — and its <c>backendRefs</c> share the request in proportion to their
/// weights (default 1, relative, 0 = none). An invalid backend's share gets 500; no match gets 404. Filters such as RequestMirror
/// are not simulated. Without the route, requests reach the apex Service, as a mesh does without one.
/// </summary>
internal sealed class GatewayRoutePlan : RoutePlan
{
    private readonly RouteSettings _settings;
    private readonly IReadOnlyList<string> _hostnames;
    private readonly IReadOnlyList<Rule> _rules;
    private readonly string _description;
    private readonly bool _present;

    private GatewayRoutePlan(RouteSettings settings, bool present, IReadOnlyList<string> hostnames, IReadOnlyList<Rule> rules, string description)
    {
        _settings = settings;
        _present = present;
        _hostnames = hostnames;
        _rules = rules;
        _description = description;
    }

    public override string Description => _description;

    /// <summary>Gets the canary's share in the last rule, where the unmatched traffic of an A/B route goes; the only rule otherwise.</summary>
    public override double? CanaryShare
    {
        get
        {
            if (!_present)
            {
                return 0;
            }

            var rule = _rules.LastOrDefault(r => r.Matches.Any(m => m.IsCatchAll)) ?? (_rules.Count > 0 ? _rules[^1] : null);
            var total = rule?.Backends.Sum(b => (double)b.Weight) ?? 0;
            return total == 0 ? null : rule!.Backends.Where(b => b.Service == _settings.CanaryService).Sum(b => b.Weight) / total;
        }
    }

    public static GatewayRoutePlan Build(IEnumerable<JsonObject> routes, RouteSettings settings)
    {
        var route = routes.FirstOrDefault(r => KubernetesObject.GetName(r) == settings.Route);
        if (route is null)
        {
            return new GatewayRoutePlan(settings, false, [], [new Rule([Match.Default], [new BackendRef(settings.Service, settings.Port, 1, null)])], $"no HTTPRoute {settings.Route}: requests go to the Service {settings.Service}");
        }

        var hostnames = (route["spec"]?["hostnames"] as JsonArray ?? []).Select(RouteMatching.String).OfType<string>().ToList();
        var rules = RouteMatching.Objects(route["spec"]?["rules"]).Select(rule => Rule.Parse(rule, settings)).ToList();
        var text = string.Join(" | ", rules.Select(rule => rule.ToString()));
        return new GatewayRoutePlan(settings, true, hostnames, rules, $"HTTPRoute {settings.Route}: {text}");
    }

    public override RouteDecision Choose(HttpRequest request, RouteContext context)
    {
        var host = RouteMatching.Host(request);
        if (_hostnames.Count > 0 && !_hostnames.Any(h => RouteMatching.HostMatches(h.ToLowerInvariant(), host, singleLabelWildcard: false)))
        {
            return RouteDecision.NoRoute($"HTTPRoute {_settings.Route} does not serve host {host}");
        }

        var best = _rules
            .SelectMany((rule, ruleIndex) => rule.Matches.Select((match, matchIndex) => (rule, match, ruleIndex, matchIndex)))
            .Where(candidate => candidate.match.Matches(request))
            .OrderByDescending(c => c.match.PathType == "Exact")
            .ThenByDescending(c => c.match.PathType == "PathPrefix" ? c.match.PathValue.Length : 0)
            .ThenByDescending(c => c.match.Method is not null)
            .ThenByDescending(c => c.match.Headers.Count)
            .ThenByDescending(c => c.match.Query.Count)
            .ThenBy(c => c.ruleIndex)
            .ThenBy(c => c.matchIndex)
            .Select(c => ((Rule, Match)?)(c.rule, c.match))
            .FirstOrDefault();
        if (best is not { } chosen)
        {
            return RouteDecision.NoRoute($"no rule of HTTPRoute {_settings.Route} matches {request.Method} {request.Path}");
        }

        var path = chosen.Item2.PathValue;
        var total = chosen.Item1.Backends.Sum(b => (long)b.Weight);
        if (total == 0)
        {
            return new RouteDecision(null, 0, path, StatusCodes.Status500InternalServerError, $"the matched rule of HTTPRoute {_settings.Route} has no backend with a weight above 0");
        }

        var draw = (long)(context.Random.NextDouble() * total);
        foreach (var backend in chosen.Item1.Backends)
        {
            draw -= backend.Weight;
            if (draw < 0)
            {
                return backend.Invalid is { } reason
                    ? new RouteDecision(null, 0, path, StatusCodes.Status500InternalServerError, reason)
                    : RouteDecision.Forward(backend.Service, backend.Port, path);
            }
        }

        var last = chosen.Item1.Backends.Last(b => b.Weight > 0);
        return RouteDecision.Forward(last.Service, last.Port, path);
    }

    private sealed record BackendRef(string Service, int Port, int Weight, string? Invalid);

    private sealed record Rule(IReadOnlyList<Match> Matches, IReadOnlyList<BackendRef> Backends)
    {
        public static Rule Parse(JsonObject rule, RouteSettings settings)
        {
            var matches = RouteMatching.Objects(rule["matches"]).Select(Match.Parse).ToList();
            var backends = new List<BackendRef>();
            foreach (var reference in RouteMatching.Objects(rule["backendRefs"]))
            {
                var name = RouteMatching.String(reference["name"]) ?? string.Empty;
                var weight = (int)Math.Clamp(RouteMatching.Integer(reference["weight"]) ?? 1, 0, 1_000_000);
                var group = RouteMatching.String(reference["group"]) ?? string.Empty;
                var kind = RouteMatching.String(reference["kind"]) ?? "Service";
                var port = RouteMatching.Integer(reference["port"]) is { } p and > 0 and <= 65535 ? (int)p : settings.Port;
                var invalid = kind != "Service" || group is not ("" or "core") || name.Length == 0
                    ? $"backendRef {group}/{kind} {name} is not a core Service"
                    : null;
                backends.Add(new BackendRef(name, port, weight, invalid));
            }

            return new Rule(matches.Count == 0 ? [Match.Default] : matches, backends);
        }

        public override string ToString()
        {
            var match = string.Join(" or ", Matches.Select(m => m.ToString()));
            var backends = Backends.Count == 0 ? "no backends" : string.Join(", ", Backends.Select(b => $"{b.Service} {b.Weight.ToString(CultureInfo.InvariantCulture)}"));
            return $"{match} -> {backends}";
        }
    }

    private sealed record Condition(string Name, string Type, string Value, Regex? Pattern)
    {
        public static Condition Parse(JsonObject condition) =>
            Create(RouteMatching.String(condition["name"]) ?? string.Empty, RouteMatching.String(condition["type"]) ?? "Exact", RouteMatching.String(condition["value"]) ?? string.Empty);

        public static Condition Create(string name, string type, string value) =>
            new(name, type, value, type == "RegularExpression" ? RouteMatching.FullMatch(value) : null);

        public bool Holds(string? actual) => actual is not null && (Type == "RegularExpression"
            ? Pattern is not null && RouteMatching.IsMatch(Pattern, actual)
            : actual == Value);
    }

    private sealed record Match(string PathType, string PathValue, Regex? PathPattern, string? Method, IReadOnlyList<Condition> Headers, IReadOnlyList<Condition> Query)
    {
        public static Match Default { get; } = new("PathPrefix", "/", null, null, [], []);

        public bool IsCatchAll => PathType == "PathPrefix" && PathValue.TrimEnd('/').Length == 0 && Method is null && Headers.Count == 0 && Query.Count == 0;

        public static Match Parse(JsonObject match)
        {
            var type = RouteMatching.String(match["path"]?["type"]) ?? "PathPrefix";
            var value = RouteMatching.String(match["path"]?["value"]) ?? "/";

            // Within one match, the first of several conditions on the same header name counts.
            var headers = RouteMatching.Objects(match["headers"]).Select(Condition.Parse)
                .DistinctBy(c => c.Name, StringComparer.OrdinalIgnoreCase).ToList();
            var query = RouteMatching.Objects(match["queryParams"]).Select(Condition.Parse).DistinctBy(c => c.Name, StringComparer.Ordinal).ToList();
            return new Match(type, value, type == "RegularExpression" ? RouteMatching.FullMatch(value) : null, RouteMatching.String(match["method"]), headers, query);
        }

        public bool Matches(HttpRequest request)
        {
            var path = request.Path.Value is { Length: > 0 } p ? p : "/";
            var pathHolds = PathType switch
            {
                "Exact" => path == PathValue,
                "PathPrefix" => RouteMatching.PrefixMatches(PathValue, path),
                "RegularExpression" => PathPattern is not null && RouteMatching.IsMatch(PathPattern, path),
                _ => false,
            };
            if (!pathHolds || (Method is not null && !string.Equals(Method, request.Method, StringComparison.Ordinal)))
            {
                return false;
            }

            return Headers.All(h => h.Holds(request.Headers.TryGetValue(h.Name, out var values) && values.Count > 0 ? values[0] : null))
                && Query.All(q => q.Holds(request.Query.TryGetValue(q.Name, out var values) && values.Count > 0 ? values[0] : null));
        }

        public override string ToString()
        {
            var parts = new List<string> { $"{PathType} {PathValue}" };
            parts.AddRange(Headers.Select(h => $"header {h.Name}{(h.Type == "Exact" ? "=" : "~")}{h.Value}"));
            parts.AddRange(Query.Select(q => $"query {q.Name}{(q.Type == "Exact" ? "=" : "~")}{q.Value}"));
            if (Method is not null)
            {
                parts.Add(Method);
            }

            return string.Join(" & ", parts);
        }
    }
}
