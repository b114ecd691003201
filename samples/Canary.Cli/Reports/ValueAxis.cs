using System.Globalization;

namespace Canary.Cli.Reports;

/// <summary>Maps values onto a chart's y coordinates over a range widened to round ticks (1, 2 or 5 times a power of ten).</summary>
internal sealed class ValueAxis
{
    private readonly double _top;
    private readonly double _bottom;
    private readonly string _format;

    public ValueAxis(double min, double max, double top, double bottom, int targetTicks = 4)
    {
        if (!(max > min))
        {
            var pad = Math.Abs(min) > 0 ? Math.Abs(min) * 0.1 : 1;
            (min, max) = (min - pad, max + pad);
        }

        Step = NiceStep((max - min) / targetTicks);
        Min = Math.Floor(min / Step) * Step;
        Max = Math.Ceiling(max / Step) * Step;
        _top = top;
        _bottom = bottom;
        _format = "F" + Math.Clamp(-(int)Math.Floor(Math.Log10(Step)), 0, 6).ToString(CultureInfo.InvariantCulture);
    }

    public double Min { get; }

    public double Max { get; }

    public double Step { get; }

    public double Y(double value) => _bottom - ((Math.Clamp(value, Min, Max) - Min) / (Max - Min) * (_bottom - _top));

    public IEnumerable<(double Y, string Label)> Ticks()
    {
        var count = (int)Math.Round((Max - Min) / Step);
        for (var i = 0; i <= count; i++)
        {
            var value = Min + (i * Step);
            yield return (Y(value), value.ToString(_format, CultureInfo.InvariantCulture));
        }
    }

    private static double NiceStep(double rough)
    {
        var power = Math.Pow(10, Math.Floor(Math.Log10(rough)));
        var fraction = rough / power;
        return power * (fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10);
    }
}
