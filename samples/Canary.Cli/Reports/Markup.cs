using System.Globalization;
using System.Net;

namespace Canary.Cli.Reports;

/// <summary>Escaping and number formatting for the report's HTML and SVG.</summary>
internal static class Markup
{
    /// <summary>Escapes text for an element's content or a quoted attribute.</summary>
    public static string Text(string? text) => WebUtility.HtmlEncode(text ?? string.Empty);

    /// <summary>Formats a coordinate with at most two decimals.</summary>
    public static string N(double value) => Math.Round(value, 2).ToString("0.##", CultureInfo.InvariantCulture);

    /// <summary>Formats a measured value for people: one decimal from 100 up, two below.</summary>
    public static string Value(double value) =>
        value.ToString(Math.Abs(value) >= 100 ? "0.#" : "0.##", CultureInfo.InvariantCulture);

    /// <summary>Formats a time in UTC as ISO 8601 to the second.</summary>
    public static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
}
