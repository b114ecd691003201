using System.Text;

namespace Canary.Kubernetes.Routing;

/// <summary>Escapes literal text for the regular expressions that routers write (RE2 for Gateway API, PCRE for ingress-nginx).</summary>
internal static class RegexText
{
    private const string Special = @"\.^$|?*+()[]{}";

    /// <summary>Escapes only the characters both dialects treat as special, since RE2 rejects escapes of ordinary letters and spaces.</summary>
    public static string Escape(string text)
    {
        var escaped = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            if (Special.Contains(c, StringComparison.Ordinal))
            {
                escaped.Append('\\');
            }

            escaped.Append(c);
        }

        return escaped.ToString();
    }
}
