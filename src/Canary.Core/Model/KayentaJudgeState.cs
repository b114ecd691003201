using Canary.Statistics;

namespace Canary.Model;

/// <summary>
/// The samples a run's Kayenta judge (<see cref="JudgeType.Kayenta"/>) has taken, and its last judgement. It is kept
/// in the <see cref="CanaryStatus"/>, so a restarted engine judges the same window, and cleared when a new run starts.
/// </summary>
/// <remarks>
/// Only the last <see cref="JudgeSpec.MaxSlices"/> slices are kept, which bounds the status: with three metrics, 60
/// slices take about 15 KB of JSON.
/// </remarks>
public sealed record KayentaJudgeState
{
    /// <summary>Gets the end of the last closed slice; the open slice, whose counts carry over until it closes, starts there.</summary>
    public DateTimeOffset? SampledUntil { get; init; }

    /// <summary>Gets how many analysis intervals were judged in the run.</summary>
    public int Judgements { get; init; }

    /// <summary>Gets how many steps in a row found too few slices to judge since the last judgement; 0 after a judgement.</summary>
    public int HeldIntervals { get; init; }

    /// <summary>Gets the metrics the slices hold values of, in order; a spec with other metrics starts the samples over.</summary>
    public IReadOnlyList<string> Metrics { get; init; } = [];

    /// <summary>Gets the kept slices, oldest first.</summary>
    public IReadOnlyList<KayentaSlice> Slices { get; init; } = [];

    /// <summary>Gets the last judgement's score, or <see langword="null"/> before the first.</summary>
    public double? LastScore { get; init; }

    /// <summary>Gets the last judgement's verdict, or <see langword="null"/> before the first.</summary>
    public JudgeVerdict? LastVerdict { get; init; }
}
