using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace Canary.Cli.Demo;

/// <summary>Matching helpers the route plans share: hosts, paths, regular expressions and JSON fields.</summary>
internal static class RouteMatching
{
    private static readonly TimeSpan RegexTimeout = TimeSpan.FromMilliseconds(100);

    /// <summary>The request's host without the port, in lower case.</summary>
    public static string Host(HttpRequest request) => request.Host.Host.ToLowerInvariant();

    /// <summary>
    /// Whether a request host matches a route host: equal ignoring case, or, for <c>*.example.com</c>, a host that ends with
    /// <c>.example.com</c>; with <paramref name="singleLabelWildcard"/> (Ingress rules) the wildcard covers exactly one label.
    /// </summary>
    public static bool HostMatches(string pattern, string host, bool singleLabelWildcard)
    {
        if (pattern.Length == 0)
        {
            return true;
        }

        if (!pattern.StartsWith("*.", StringComparison.Ordinal))
        {
            return string.Equals(pattern, host, StringComparison.OrdinalIgnoreCase);
        }

        var suffix = pattern[1..];
        if (!host.EndsWith(suffix, StringComparison.OrdinalIgnoreCase) || host.Length == suffix.Length)
        {
            return false;
        }

        var label = host[..^suffix.Length];
        return !singleLabelWildcard || !label.Contains('.', StringComparison.Ordinal);
    }

    /// <summary>Kubernetes' Prefix match: element-wise by <c>/</c>, so <c>/foo</c> matches <c>/foo</c> and <c>/foo/bar</c> but not <c>/foobar</c>.</summary>
    public static bool PrefixMatches(string prefix, string path)
    {
        var trimmed = prefix.TrimEnd('/');
        if (trimmed.Length == 0)
        {
            return true;
        }

        return path.StartsWith(trimmed, StringComparison.Ordinal) && (path.Length == trimmed.Length || path[trimmed.Length] == '/');
    }

    /// <summary>A regular expression that must match the whole value; <see langword="null"/> when it does not compile.</summary>
    public static Regex? FullMatch(string pattern) => Compile($"^(?:{pattern})$");

    /// <summary>A regular expression that may match anywhere in the value, as PCRE's match does; <see langword="null"/> when it does not compile.</summary>
    public static Regex? Search(string pattern) => Compile(pattern);

    public static bool IsMatch(Regex regex, string value)
    {
        try
        {
            return regex.IsMatch(value);
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }

    public static string? String(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    /// <summary>Reads an integer given as a JSON number or as a decimal string.</summary>
    public static long? Integer(JsonNode? node)
    {
        if (node is not JsonValue value)
        {
            return null;
        }

        if (value.TryGetValue<long>(out var number))
        {
            return number;
        }

        if (value.TryGetValue<double>(out var real) && real == Math.Floor(real) && Math.Abs(real) < long.MaxValue)
        {
            return (long)real;
        }

        return value.TryGetValue<string>(out var text) && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed) ? parsed : null;
    }

    public static IEnumerable<JsonObject> Objects(JsonNode? node) => (node as JsonArray ?? []).OfType<JsonObject>();

    private static Regex? Compile(string pattern)
    {
        try
        {
            return new Regex(pattern, RegexOptions.CultureInvariant, RegexTimeout);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}
