using System.Buffers;
using System.Globalization;
using System.Text;

namespace Canary.Specs;

/// <summary>Reads and writes durations in the form Go's <c>time.ParseDuration</c> takes, as Kubernetes and Flagger specs write them (<c>10s</c>, <c>1m</c>, <c>1h30m</c>, <c>1.5h</c>, <c>300ms</c>).</summary>
public static class GoDuration
{
    private const decimal TicksPerNanosecond = 0.01m;

    private static readonly SearchValues<char> NumberChars = SearchValues.Create("0123456789.");

    /// <summary>Parses a Go duration: an optional sign, then one or more decimal numbers each followed by a unit (<c>ns</c>, <c>us</c>, <c>µs</c>, <c>ms</c>, <c>s</c>, <c>m</c>, <c>h</c>); <c>0</c> alone is zero.</summary>
    /// <param name="text">The text to parse.</param>
    /// <param name="duration">The duration, truncated to whole ticks (100 ns); zero when parsing fails.</param>
    /// <returns><see langword="true"/> when <paramref name="text"/> is a Go duration that fits a <see cref="TimeSpan"/>.</returns>
    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        var negative = text[0] == '-';
        var rest = text[0] is '-' or '+' ? text.AsSpan(1) : text.AsSpan();
        if (rest is "0")
        {
            return true;
        }

        if (rest.IsEmpty)
        {
            return false;
        }

        // A negative duration reaches one tick further than a positive one, down to TimeSpan.MinValue.
        var limit = negative ? -(decimal)TimeSpan.MinValue.Ticks : TimeSpan.MaxValue.Ticks;
        decimal ticks = 0;
        while (!rest.IsEmpty)
        {
            var numberLength = rest.IndexOfAnyExcept(NumberChars);
            if (numberLength <= 0)
            {
                return false;
            }

            var number = rest[..numberLength];
            rest = rest[numberLength..];
            var unitLength = rest.IndexOfAny(NumberChars);
            var unit = unitLength < 0 ? rest : rest[..unitLength];
            rest = rest[unit.Length..];

            if (!TryUnitTicks(unit, out var unitTicks)
                || number is "."
                || !decimal.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value)
                || value > (limit - ticks) / unitTicks)
            {
                return false;
            }

            ticks += value * unitTicks;
        }

        var whole = decimal.Truncate(ticks);
        duration = TimeSpan.FromTicks((long)(negative ? -whole : whole));
        return true;
    }

    /// <summary>Writes the shortest Go form of a duration in whole units, for example <c>1m</c>, <c>1h30m</c>, <c>10s</c> or <c>1s500ms</c>.</summary>
    /// <remarks>Units stay whole (<c>1s500ms</c> rather than <c>1.5s</c>) so that the text is also a valid Prometheus range for durations of a millisecond or more.</remarks>
    /// <param name="duration">The duration to write.</param>
    /// <returns>The duration as Go writes it without zero units; <c>0s</c> for zero.</returns>
    public static string Format(TimeSpan duration)
    {
        if (duration == TimeSpan.Zero)
        {
            return "0s";
        }

        // TimeSpan.MinValue has no positive counterpart, so the magnitude is taken unsigned.
        var ticks = duration.Ticks;
        var remaining = ticks < 0 ? (ulong)(-(ticks + 1)) + 1 : (ulong)ticks;
        var text = new StringBuilder();
        if (ticks < 0)
        {
            text.Append('-');
        }

        Append(text, ref remaining, (ulong)TimeSpan.TicksPerHour, "h");
        Append(text, ref remaining, (ulong)TimeSpan.TicksPerMinute, "m");
        Append(text, ref remaining, (ulong)TimeSpan.TicksPerSecond, "s");
        Append(text, ref remaining, (ulong)TimeSpan.TicksPerMillisecond, "ms");
        Append(text, ref remaining, (ulong)TimeSpan.TicksPerMicrosecond, "us");
        if (remaining > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"{remaining * 100}ns");
        }

        return text.ToString();
    }

    private static void Append(StringBuilder text, ref ulong remaining, ulong unitTicks, string unit)
    {
        var count = remaining / unitTicks;
        if (count > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"{count}{unit}");
            remaining -= count * unitTicks;
        }
    }

    private static bool TryUnitTicks(ReadOnlySpan<char> unit, out decimal ticks)
    {
        ticks = unit switch
        {
            "ns" => TicksPerNanosecond,
            "us" or "\u00b5s" or "\u03bcs" => TimeSpan.TicksPerMicrosecond,
            "ms" => TimeSpan.TicksPerMillisecond,
            "s" => TimeSpan.TicksPerSecond,
            "m" => TimeSpan.TicksPerMinute,
            "h" => TimeSpan.TicksPerHour,
            _ => 0,
        };
        return ticks > 0;
    }
}
