using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Canary.Kubernetes.Client;
using Microsoft.AspNetCore.Http;

namespace Canary.Cli.Demo;

/// <summary>
/// Routes through an SMI TrafficSplit: requests to <c>spec.service</c> are shared among <c>spec.backends</c> in proportion to
/// their weights (v1alpha1 quantities such as <c>500m</c>, whole numbers from v1alpha2), drawn at random as a mesh proxy does.
/// From v1alpha3, a split with <c>spec.matches</c> applies only to requests that one of the referenced HTTPRouteGroups matches;
/// the others go to the root Service. Without a split for the apex Service, requests reach it directly.
/// </summary>
internal sealed partial class SmiRoutePlan : RoutePlan
{
    private readonly RouteSettings _settings;
    private readonly string _root;
    private readonly IReadOnlyList<Backend> _backends;
    private readonly IReadOnlyList<GroupMatch>? _matches;
    private readonly string _description;
    private readonly bool _present;

    private SmiRoutePlan(RouteSettings settings, bool present, string root, IReadOnlyList<Backend> backends, IReadOnlyList<GroupMatch>? matches, string description)
    {
        _settings = settings;
        _present = present;
        _root = root;
        _backends = backends;
        _matches = matches;
        _description = description;
    }

    public override string Description => _description;

    public override double? CanaryShare
    {
        get
        {
            if (!_present)
            {
                return 0;
            }

            var total = _backends.Sum(b => b.Weight);
            return total == 0 ? null : _backends.Where(b => b.Service == _settings.CanaryService).Sum(b => b.Weight) / total;
        }
    }

    public static SmiRoutePlan Build(IEnumerable<JsonObject> splits, IEnumerable<JsonObject> routeGroups, RouteSettings settings)
    {
        var candidates = splits.Where(s => RouteMatching.String(s["spec"]?["service"]) == settings.Service).ToList();
        var split = candidates.FirstOrDefault(s => KubernetesObject.GetName(s) == settings.Route)
            ?? candidates.OrderBy(s => KubernetesObject.GetName(s), StringComparer.Ordinal).FirstOrDefault();
        if (split is null)
        {
            return new SmiRoutePlan(settings, false, settings.Service, [new Backend(settings.Service, 1)], null, $"no TrafficSplit for Service {settings.Service}: requests go to it directly");
        }

        var name = KubernetesObject.GetName(split);
        var backends = new List<Backend>();
        foreach (var entry in RouteMatching.Objects(split["spec"]?["backends"]))
        {
            if (RouteMatching.String(entry["service"]) is { } service && Weight(entry["weight"]) is { } weight and > 0)
            {
                backends.Add(new Backend(service, weight));
            }
        }

        List<GroupMatch>? matches = null;
        if (split["spec"]?["matches"] is JsonArray references && references.Count > 0)
        {
            var groups = routeGroups.ToDictionary(g => KubernetesObject.GetName(g) ?? string.Empty, StringComparer.Ordinal);
            matches = [];
            foreach (var reference in references.OfType<JsonObject>().Where(r => (RouteMatching.String(r["kind"]) ?? "HTTPRouteGroup") == "HTTPRouteGroup"))
            {
                if (RouteMatching.String(reference["name"]) is { } group && groups.TryGetValue(group, out var routeGroup))
                {
                    matches.AddRange(RouteMatching.Objects(routeGroup["spec"]?["matches"]).Select(GroupMatch.Parse));
                }
            }
        }

        var shares = backends.Count == 0 ? "no backend with a weight above 0" : string.Join(", ", backends.Select(b => $"{b.Service} {b.Weight.ToString("0.###", CultureInfo.InvariantCulture)}"));
        var scope = matches is null ? string.Empty : $" for requests its {matches.Count} HTTPRouteGroup matches select";
        return new SmiRoutePlan(settings, true, settings.Service, backends, matches, $"TrafficSplit {name}{scope}: {shares}");
    }

    /// <summary>Reads a weight: a JSON number, or a Kubernetes quantity string (<c>1</c>, <c>500m</c>, <c>1k</c>, <c>1Ki</c>, <c>1e3</c>).</summary>
    public static double? Weight(JsonNode? node)
    {
        if (node is not JsonValue value)
        {
            return null;
        }

        if (value.TryGetValue<double>(out var number))
        {
            return number;
        }

        if (!value.TryGetValue<string>(out var text) || QuantityPattern().Match(text) is not { Success: true } match)
        {
            return null;
        }

        var amount = double.Parse(match.Groups["number"].Value, NumberStyles.Float, CultureInfo.InvariantCulture);
        var suffix = match.Groups["suffix"].Value;
        double factor = suffix switch
        {
            "" => 1,
            "n" => 1e-9,
            "u" => 1e-6,
            "m" => 1e-3,
            "k" => 1e3,
            "M" => 1e6,
            "G" => 1e9,
            "T" => 1e12,
            "P" => 1e15,
            "E" => 1e18,
            "Ki" => 1024,
            "Mi" => Math.Pow(1024, 2),
            "Gi" => Math.Pow(1024, 3),
            "Ti" => Math.Pow(1024, 4),
            "Pi" => Math.Pow(1024, 5),
            "Ei" => Math.Pow(1024, 6),
            _ => Math.Pow(10, int.Parse(suffix[1..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture)),
        };
        return amount * factor;
    }

    public override RouteDecision Choose(HttpRequest request, RouteContext context)
    {
        if (_matches is not null && !_matches.Any(match => match.Matches(request)))
        {
            return RouteDecision.Forward(_root, _settings.Port);
        }

        var total = _backends.Sum(b => b.Weight);
        if (total <= 0)
        {
            return new RouteDecision(null, 0, "/", StatusCodes.Status503ServiceUnavailable, $"TrafficSplit for {_root} has no backend with a weight above 0");
        }

        var draw = context.Random.NextDouble() * total;
        foreach (var backend in _backends)
        {
            draw -= backend.Weight;
            if (draw < 0)
            {
                return RouteDecision.Forward(backend.Service, _settings.Port);
            }
        }

        return RouteDecision.Forward(_backends[^1].Service, _settings.Port);
    }

    [GeneratedRegex("^(?<number>[+]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+))(?<suffix>[eE][+-]?[0-9]+|Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?$", RegexOptions.CultureInvariant)]
    private static partial Regex QuantityPattern();

    private sealed record Backend(string Service, double Weight);

    /// <summary>One entry of an HTTPRouteGroup's <c>spec.matches</c>: every condition it sets must hold.</summary>
    private sealed record GroupMatch(Regex? Path, IReadOnlyList<string> Methods, IReadOnlyList<(string Name, Regex? Value)> Headers, bool Invalid)
    {
        public static GroupMatch Parse(JsonObject match)
        {
            var pathRegex = RouteMatching.String(match["pathRegex"]);
            var path = pathRegex is null ? null : RouteMatching.FullMatch(pathRegex);
            var methods = (match["methods"] as JsonArray ?? []).Select(RouteMatching.String).OfType<string>().ToList();

            // v1alpha3 writes headers as one map; some producers write a list of maps.
            var headerMaps = match["headers"] switch
            {
                JsonObject map => [map],
                JsonArray list => list.OfType<JsonObject>().ToList(),
                _ => new List<JsonObject>(),
            };
            var headers = headerMaps.SelectMany(map => map)
                .Select(pair => (pair.Key, RouteMatching.String(pair.Value) is { } pattern ? RouteMatching.FullMatch(pattern) : null))
                .ToList();
            var invalid = (pathRegex is not null && path is null) || headers.Any(h => h.Item2 is null);
            return new GroupMatch(path, methods, headers, invalid);
        }

        public bool Matches(HttpRequest request)
        {
            if (Invalid)
            {
                return false;
            }

            if (Path is not null && !RouteMatching.IsMatch(Path, request.Path.Value ?? "/"))
            {
                return false;
            }

            if (Methods.Count > 0 && !Methods.Any(m => m == "*" || string.Equals(m, request.Method, StringComparison.OrdinalIgnoreCase)))
            {
                return false;
            }

            return Headers.All(header => request.Headers.TryGetValue(header.Name, out var values) && values.Count > 0
                && values[0] is { } value && RouteMatching.IsMatch(header.Value!, value));
        }
    }
}
