using Canary.Model;

namespace Canary.Cli.Reports;

/// <summary>Every check of one metric, with the range it was judged against.</summary>
/// <param name="Name">The metric's name in the spec.</param>
/// <param name="Threshold">The passing range, or <see langword="null"/> when neither spec nor events give one.</param>
/// <param name="Unit">The unit of builtin metrics ("%", "ms"), or an empty string.</param>
/// <param name="Points">The checks, in order.</param>
internal sealed record MetricSeries(string Name, ThresholdRange? Threshold, string Unit, IReadOnlyList<MetricPoint> Points)
{
    /// <summary>Gets how many checks failed.</summary>
    public int Failed => Points.Count(p => !p.Passed);
}
