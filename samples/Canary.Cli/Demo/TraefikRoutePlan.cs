using System.Globalization;
using System.Text.Json.Nodes;
using Canary.Kubernetes.Client;
using Microsoft.AspNetCore.Http;

namespace Canary.Cli.Demo;

/// <summary>
/// Routes through a TraefikService: <c>spec.weighted.services</c> shared by Traefik's deterministic smooth weighted round robin
/// (earliest deadline first, each child's deadline moving by 1/weight), where an omitted weight is 1 and a weight of 0 or less
/// drops the child; <c>spec.mirroring</c> sends to its main service (the mirrors' copies are not simulated). Without the object,
/// requests reach the apex Service, as before the router created it.
/// </summary>
internal sealed class TraefikRoutePlan : RoutePlan
{
    private readonly RouteSettings _settings;
    private readonly string _description;
    private readonly IReadOnlyList<Child> _children;
    private readonly long[] _turns;
    private readonly string? _invalid;
    private readonly bool _present;
    private readonly Lock _gate = new();

    private TraefikRoutePlan(RouteSettings settings, bool present, IReadOnlyList<Child> children, string? invalid, string description)
    {
        _settings = settings;
        _present = present;
        _children = children;
        _invalid = invalid;
        _description = description;
        _turns = new long[children.Count];
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

            var total = _children.Sum(c => (double)c.Weight);
            return total == 0 ? null : _children.Where(c => c.Service == _settings.CanaryService).Sum(c => c.Weight) / total;
        }
    }

    public static TraefikRoutePlan Build(IEnumerable<JsonObject> traefikServices, RouteSettings settings)
    {
        var service = traefikServices.FirstOrDefault(s => KubernetesObject.GetName(s) == settings.Route);
        if (service is null)
        {
            return new TraefikRoutePlan(settings, false, [new Child(settings.Service, settings.Port, 1)], null, $"no TraefikService {settings.Route}: requests go to the Service {settings.Service}");
        }

        var spec = service["spec"];
        if (spec?["weighted"] is JsonObject weighted)
        {
            var children = new List<Child>();
            foreach (var entry in RouteMatching.Objects(weighted["services"]))
            {
                var name = RouteMatching.String(entry["name"]);
                var kind = RouteMatching.String(entry["kind"]) ?? "Service";
                var weight = RouteMatching.Integer(entry["weight"]) ?? 1;
                if (name is null || weight <= 0)
                {
                    continue;
                }

                if (kind != "Service")
                {
                    return new TraefikRoutePlan(settings, true, [], $"TraefikService {settings.Route}: nested {kind} {name} is not simulated", $"TraefikService {settings.Route}: unsupported child {kind} {name}");
                }

                var port = RouteMatching.Integer(entry["port"]) is { } p and > 0 and <= 65535 ? (int)p : settings.Port;
                children.Add(new Child(name, port, (int)Math.Min(weight, int.MaxValue)));
            }

            var text = children.Count == 0 ? "no service with a weight above 0" : string.Join(", ", children.Select(c => $"{c.Service} {c.Weight.ToString(CultureInfo.InvariantCulture)}"));
            return new TraefikRoutePlan(settings, true, children, null, $"TraefikService {settings.Route} (weighted): {text}");
        }

        if (spec?["mirroring"] is JsonObject mirroring && RouteMatching.String(mirroring["name"]) is { } main)
        {
            var port = RouteMatching.Integer(mirroring["port"]) is { } p and > 0 and <= 65535 ? (int)p : settings.Port;
            return new TraefikRoutePlan(settings, true, [new Child(main, port, 1)], null, $"TraefikService {settings.Route} (mirroring): {main}, mirrors not simulated");
        }

        return new TraefikRoutePlan(settings, true, [], $"TraefikService {settings.Route}: unspecified service type", $"TraefikService {settings.Route}: neither weighted nor mirroring");
    }

    public override RouteDecision Choose(HttpRequest request, RouteContext context)
    {
        if (_invalid is not null)
        {
            return new RouteDecision(null, 0, "/", StatusCodes.Status500InternalServerError, _invalid);
        }

        if (_children.Count == 0)
        {
            return new RouteDecision(null, 0, "/", StatusCodes.Status503ServiceUnavailable, $"TraefikService {_settings.Route} has no service to send to");
        }

        int chosen;
        lock (_gate)
        {
            // Earliest deadline first; ties go to the child listed first. A child's next deadline is (turns + 1) / weight,
            // compared by cross-multiplying so that no rounding ever reorders two children.
            chosen = 0;
            for (var i = 1; i < _turns.Length; i++)
            {
                if ((_turns[i] + 1) * _children[chosen].Weight < (_turns[chosen] + 1) * _children[i].Weight)
                {
                    chosen = i;
                }
            }

            _turns[chosen]++;
        }

        var child = _children[chosen];
        return RouteDecision.Forward(child.Service, child.Port);
    }

    private sealed record Child(string Service, int Port, int Weight);
}
