using System.Globalization;
using Canary.Model;

namespace Canary.Kubernetes.Routing.Nginx;

/// <summary>The canary annotations of ingress-nginx under one prefix; every value is a string.</summary>
internal sealed class NginxAnnotations(string prefix)
{
    /// <summary>The legacy annotation that picks the ingress class; a canary must be in its main Ingress's class.</summary>
    public const string IngressClass = "kubernetes.io/ingress.class";

    public string Canary { get; } = $"{prefix}/canary";

    public string Weight { get; } = $"{prefix}/canary-weight";

    public string WeightTotal { get; } = $"{prefix}/canary-weight-total";

    public string ByHeader { get; } = $"{prefix}/canary-by-header";

    public string ByHeaderValue { get; } = $"{prefix}/canary-by-header-value";

    public string ByHeaderPattern { get; } = $"{prefix}/canary-by-header-pattern";

    public string ByCookie { get; } = $"{prefix}/canary-by-cookie";

    /// <summary>Whether a key is one of the canary annotations (which the router owns on the canary Ingress).</summary>
    public bool IsCanaryAnnotation(string key) =>
        key == Canary || key.StartsWith(Canary + "-", StringComparison.Ordinal);

    /// <summary>
    /// Returns the canary annotations for a weight: a canary-weight for a progressive canary; for an A/B test, the header and cookie
    /// conditions with weight 0, so that requests which match nothing stay on the primary. canary-weight-total is left out, as its
    /// default of 100 is what whole percentages need.
    /// </summary>
    public Dictionary<string, string> ForRoutes(int canaryWeight, IReadOnlyList<HttpMatch> matches)
    {
        var annotations = new Dictionary<string, string>(StringComparer.Ordinal) { [Canary] = "true" };
        if (matches.Count == 0)
        {
            annotations[Weight] = canaryWeight.ToString(CultureInfo.InvariantCulture);
            return annotations;
        }

        annotations[Weight] = "0";
        if (canaryWeight > 0)
        {
            foreach (var (key, value) in ForMatches(matches))
            {
                annotations[key] = value;
            }
        }

        return annotations;
    }

    /// <summary>
    /// Translates A/B matches into ingress-nginx's conditions: at most one header (exact value, or a pattern for prefix, suffix and
    /// regex) and one cookie (by name: the request goes to the canary when that cookie is <c>always</c>), which ingress-nginx ORs.
    /// </summary>
    /// <exception cref="TrafficRouterException">A match cannot be expressed; the message names the field.</exception>
    public Dictionary<string, string> ForMatches(IReadOnlyList<HttpMatch> matches)
    {
        var annotations = new Dictionary<string, string>(StringComparer.Ordinal);
        string? header = null;
        string? cookie = null;
        for (var i = 0; i < matches.Count; i++)
        {
            var path = $"spec.analysis.match[{i}]";
            var match = matches[i];
            if (match.QueryParams.Count > 0)
            {
                throw new TrafficRouterException($"{path}.queryParams: provider \"nginx\" cannot match query parameters");
            }

            if (match.Headers.Count > 1)
            {
                throw new TrafficRouterException(
                    $"{path}.headers: provider \"nginx\" cannot require several conditions together; put each header or cookie in a match of its own");
            }

            foreach (var (name, condition) in match.Headers)
            {
                if (string.Equals(name, "cookie", StringComparison.OrdinalIgnoreCase))
                {
                    if (cookie is not null)
                    {
                        throw new TrafficRouterException($"{path}.headers.{name}: provider \"nginx\" matches one cookie only (already \"{cookie}\")");
                    }

                    if (condition.Kind != StringMatchKind.Exact)
                    {
                        throw new TrafficRouterException(
                            $"{path}.headers.{name}: provider \"nginx\" matches a cookie by its name: use exact: <cookie name>, and requests with that cookie set to \"always\" go to the canary");
                    }

                    cookie = condition.Value;
                    annotations[ByCookie] = condition.Value;
                    continue;
                }

                if (header is not null)
                {
                    throw new TrafficRouterException($"{path}.headers.{name}: provider \"nginx\" matches one header only (already \"{header}\")");
                }

                header = name;
                annotations[ByHeader] = name;
                if (condition.Kind == StringMatchKind.Exact)
                {
                    annotations[ByHeaderValue] = condition.Value;
                }
                else
                {
                    // ingress-nginx searches the value with the pattern, so prefix and suffix need anchors.
                    annotations[ByHeaderPattern] = condition.Kind switch
                    {
                        StringMatchKind.Prefix => "^" + RegexText.Escape(condition.Value),
                        StringMatchKind.Suffix => RegexText.Escape(condition.Value) + "$",
                        _ => condition.Value,
                    };
                }
            }
        }

        return annotations;
    }
}
