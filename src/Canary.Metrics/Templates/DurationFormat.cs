using System.Globalization;
using System.Text;

namespace Canary.Metrics.Templates;

/// <summary>
/// Writes a window as a Go-style duration (<c>1m</c>, <c>30s</c>, <c>1m30s</c>, <c>500ms</c>): the form Flagger's
/// <c>{{ interval }}</c> has and that PromQL range selectors accept.
/// </summary>
internal static class DurationFormat
{
    /// <summary>Formats a positive duration, at millisecond resolution.</summary>
    /// <param name="duration">The duration.</param>
    /// <returns>The duration as hours, minutes, seconds and milliseconds, omitting zero parts.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The duration is shorter than one millisecond.</exception>
    public static string Format(TimeSpan duration)
    {
        // Sub-millisecond windows are meaningless to PromQL and would format as nothing at all.
        var totalMilliseconds = (long)duration.TotalMilliseconds;
        if (totalMilliseconds < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(duration), duration, "A metric interval must be at least one millisecond.");
        }

        var hours = totalMilliseconds / 3_600_000;
        var minutes = totalMilliseconds / 60_000 % 60;
        var seconds = totalMilliseconds / 1000 % 60;
        var milliseconds = totalMilliseconds % 1000;

        var text = new StringBuilder();
        Append(text, hours, "h");
        Append(text, minutes, "m");
        Append(text, seconds, "s");
        Append(text, milliseconds, "ms");
        return text.ToString();
    }

    private static void Append(StringBuilder text, long value, string unit)
    {
        if (value != 0)
        {
            text.Append(value.ToString(CultureInfo.InvariantCulture)).Append(unit);
        }
    }
}
