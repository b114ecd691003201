using System.Globalization;

namespace Canary.Cli.Reports;

/// <summary>Maps the rollout's time onto a chart's x coordinates, with ticks at round elapsed times ("2m", "1h30m").</summary>
internal sealed class TimeAxis
{
    private const int MaxTicks = 10;

    private static readonly int[] TickSeconds =
        [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172800, 604800];

    private readonly DateTimeOffset _start;
    private readonly double _seconds;
    private readonly double _left;
    private readonly double _width;

    public TimeAxis(DateTimeOffset start, DateTimeOffset end, double left, double right)
    {
        _start = start;
        _seconds = Math.Max(1, (end - start).TotalSeconds);
        _left = left;
        _width = right - left;
    }

    public double X(DateTimeOffset time) => _left + (Math.Clamp((time - _start).TotalSeconds, 0, _seconds) / _seconds * _width);

    /// <summary>Gets the ticks: their x, and the elapsed time since the start.</summary>
    public IEnumerable<(double X, string Label)> Ticks()
    {
        var step = TickSeconds.FirstOrDefault(s => _seconds / s <= MaxTicks, TickSeconds[^1]);
        for (var s = 0L; s <= _seconds; s += step)
        {
            yield return (_left + (s / _seconds * _width), FormatElapsed(TimeSpan.FromSeconds(s)));
        }
    }

    /// <summary>Formats a duration the way the CLI prints them: "45s", "3m", "2m30s", "1h", "1h05m", "2d3h".</summary>
    public static string FormatElapsed(TimeSpan elapsed)
    {
        if (elapsed <= TimeSpan.Zero)
        {
            return "0";
        }

        if (elapsed.TotalDays >= 1)
        {
            return elapsed.Hours == 0
                ? string.Create(CultureInfo.InvariantCulture, $"{(int)elapsed.TotalDays}d")
                : string.Create(CultureInfo.InvariantCulture, $"{(int)elapsed.TotalDays}d{elapsed.Hours}h");
        }

        if (elapsed.TotalHours >= 1)
        {
            return elapsed.Minutes == 0
                ? string.Create(CultureInfo.InvariantCulture, $"{(int)elapsed.TotalHours}h")
                : string.Create(CultureInfo.InvariantCulture, $"{(int)elapsed.TotalHours}h{elapsed.Minutes:00}m");
        }

        if (elapsed.TotalMinutes >= 1)
        {
            return elapsed.Seconds == 0
                ? string.Create(CultureInfo.InvariantCulture, $"{(int)elapsed.TotalMinutes}m")
                : string.Create(CultureInfo.InvariantCulture, $"{(int)elapsed.TotalMinutes}m{elapsed.Seconds:00}s");
        }

        return string.Create(CultureInfo.InvariantCulture, $"{(int)elapsed.TotalSeconds}s");
    }
}
