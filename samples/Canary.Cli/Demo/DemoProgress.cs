using System.Globalization;
using System.Text;
using Canary.Events;
using Canary.Model;

namespace Canary.Cli.Demo;

/// <summary>
/// The demo's console output: the engine's events as they happen, one progress line per analysis interval (the canary's weight as
/// a bar, the success rate and P99 the analysis last judged, the failed checks against the threshold, and the share of requests the
/// proxy gives the canary), and the summary at the end. Plain text, ASCII bars; colours (ANSI) only when asked, for a terminal.
/// </summary>
/// <remarks>Thread-safe: events arrive from the engine while the progress timer reads.</remarks>
internal sealed class DemoProgress
{
    /// <summary>The width of the weight bar: one character per 5%.</summary>
    public const int BarWidth = 20;

    private const string Reset = "\u001b[0m";
    private const string Red = "\u001b[31m";
    private const string Green = "\u001b[32m";
    private const string Yellow = "\u001b[33m";
    private const string Dim = "\u001b[2m";
    private const string NoValue = "-";

    private readonly Lock _gate = new();
    private readonly AnalysisSpec _analysis;
    private readonly bool _color;
    private int _weight;
    private int _failedChecks;
    private Check? _successRate;
    private Check? _duration;

    /// <summary>Initializes a new instance of the <see cref="DemoProgress"/> class.</summary>
    /// <param name="canary">The canary rolled out: its metrics' thresholds, and the failed-check threshold.</param>
    /// <param name="color">Whether to colour the output with ANSI escapes (only for a terminal).</param>
    public DemoProgress(CanaryResource canary, bool color)
    {
        ArgumentNullException.ThrowIfNull(canary);
        _analysis = canary.Spec.Analysis;
        _color = color;
    }

    /// <summary>
    /// Gets a value indicating whether the demo runs on virtual time: the times are then minutes and seconds of the virtual clock
    /// (<c>[ 12m05s]</c>) instead of seconds of wall time, and the summary shows both.
    /// </summary>
    public bool VirtualTime { get; init; }

    /// <summary>Returns a duration as the demo prints it: <c>7s</c>, <c>1.5s</c>, <c>1m</c>, <c>12m05s</c>.</summary>
    /// <param name="duration">The duration.</param>
    /// <returns>The text.</returns>
    public static string Duration(TimeSpan duration)
    {
        if (duration < TimeSpan.FromMinutes(1))
        {
            return $"{duration.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)}s";
        }

        var minutes = (long)duration.TotalMinutes;
        return duration.Seconds == 0 ? $"{minutes}m" : $"{minutes}m{duration.Seconds:00}s";
    }

    /// <summary>Returns the weight bar, for example <c>[#####...............]</c> for 25%.</summary>
    /// <param name="weight">The weight in percent; clamped to 0–100.</param>
    /// <returns>The bar, <see cref="BarWidth"/> characters between brackets.</returns>
    public static string Bar(int weight)
    {
        var filled = (int)Math.Round(Math.Clamp(weight, 0, 100) * BarWidth / 100.0, MidpointRounding.AwayFromZero);
        return $"[{new string('#', filled)}{new string('.', BarWidth - filled)}]";
    }

    /// <summary>Takes in an event of the engine: the weight, the failed checks, and the values of the builtin checks.</summary>
    /// <param name="canaryEvent">The event.</param>
    public void Observe(CanaryEvent canaryEvent)
    {
        ArgumentNullException.ThrowIfNull(canaryEvent);
        lock (_gate)
        {
            _weight = canaryEvent.Weight;
            _failedChecks = canaryEvent.FailedChecks;
            if (canaryEvent.Type == CanaryEventType.NewRevision)
            {
                _successRate = _duration = null;
            }

            if (canaryEvent.Type is CanaryEventType.CheckPassed or CanaryEventType.CheckFailed or CanaryEventType.CheckHeld && canaryEvent.Webhook is null)
            {
                var check = new Check(canaryEvent.Value, canaryEvent.Type == CanaryEventType.CheckPassed, canaryEvent.Time);
                switch (canaryEvent.Metric)
                {
                    case BuiltinMetrics.RequestSuccessRate:
                        _successRate = check;
                        break;
                    case BuiltinMetrics.RequestDuration:
                        _duration = check;
                        break;
                }
            }
        }
    }

    /// <summary>Returns an event as one line: elapsed time, severity, message.</summary>
    /// <param name="canaryEvent">The event.</param>
    /// <param name="elapsed">The time since the demo started.</param>
    /// <returns>The line.</returns>
    public string EventLine(CanaryEvent canaryEvent, TimeSpan elapsed)
    {
        ArgumentNullException.ThrowIfNull(canaryEvent);
        var (level, color) = canaryEvent.Severity switch
        {
            AlertSeverity.Error => ("error", Red),
            AlertSeverity.Warn => ("warn ", Yellow),
            _ => ("info ", null),
        };
        return $"{Elapsed(elapsed)} {Paint(level, color)} {canaryEvent.Message}";
    }

    /// <summary>
    /// Returns the progress line: the weight as a bar, the last judged success rate and P99 (a dash when the last analysis round is
    /// older than <paramref name="fresh"/>, or there was none yet), the failed checks against the threshold, and the proxy's split.
    /// </summary>
    /// <param name="version">The version being released.</param>
    /// <param name="elapsed">The time since the demo started.</param>
    /// <param name="now">The current time, by the engine's clock.</param>
    /// <param name="fresh">How old the last checks may be to be shown: an analysis interval.</param>
    /// <param name="proxyShare">The share of requests the proxy routes to the canary now, or <see langword="null"/>.</param>
    /// <returns>The line.</returns>
    public string ProgressLine(string version, TimeSpan elapsed, DateTimeOffset now, TimeSpan fresh, double? proxyShare)
    {
        int weight, failed;
        Check? success, duration;
        lock (_gate)
        {
            (weight, failed, success, duration) = (_weight, _failedChecks, _successRate, _duration);
        }

        var recent = now - fresh;
        var successText = Judged(success is { } s && s.Time >= recent ? s : null, v => $"{v.ToString("0.0", CultureInfo.InvariantCulture)}%", 6);
        var durationText = Judged(duration is { } d && d.Time >= recent ? d : null, v => $"{v.ToString("0", CultureInfo.InvariantCulture)} ms", 7);
        var share = proxyShare is { } p ? $"{(p * 100).ToString("0", CultureInfo.InvariantCulture)}%" : "n/a";
        var bar = Paint(Bar(weight), failed > 0 ? Red : Green);
        var failedText = Paint($"{failed}/{_analysis.Threshold}", failed > 0 ? Red : null);
        return $"{Elapsed(elapsed)} {version,-6} {bar} {weight,3}% | success {successText} | P99 {durationText} | failed checks {failedText} | proxy to canary {share}";
    }

    /// <summary>Writes the summary: one line per rollout, the users' answers by version, the wall time and the result.</summary>
    /// <param name="output">Where to write.</param>
    /// <param name="rollouts">The rollouts, in order.</param>
    /// <param name="answers">The users' answers by version over the whole demo.</param>
    /// <param name="wallTime">The demo's wall time.</param>
    /// <param name="virtualTime">On virtual time, how much of it passed; otherwise <see langword="null"/>.</param>
    public void WriteSummary(
        TextWriter output, IReadOnlyList<DemoRolloutRecord> rollouts, IReadOnlyDictionary<string, VersionCount> answers, TimeSpan wallTime, TimeSpan? virtualTime = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(rollouts);
        ArgumentNullException.ThrowIfNull(answers);
        output.WriteLine("Summary");
        output.WriteLine($"  {"release",-8}  {"outcome",-12}  {"steps",5}  {"peak",4}  {"failed",6}  {"time",5}  canary's answers (ok/failed)");
        foreach (var rollout in rollouts)
        {
            var canary = rollout.Answers.TryGetValue(rollout.Version, out var count) ? $"{count.Succeeded}/{count.Failed}" : "0/0";
            var outcome = Paint($"{rollout.Outcome,-12}", rollout.Phase switch
            {
                CanaryPhase.Succeeded => Green,
                CanaryPhase.Failed => Red,
                _ => Yellow,
            });
            var time = VirtualTime ? Duration(TimeSpan.FromSeconds(Math.Round(rollout.Duration.TotalSeconds))) : $"{rollout.Duration.TotalSeconds.ToString("0", CultureInfo.InvariantCulture)}s";
            output.WriteLine($"  {rollout.Version,-8}  {outcome}  {rollout.WeightSteps,5}  {rollout.PeakWeight,3}%  {$"{rollout.FailedChecks}/{_analysis.Threshold}",6}  {time,5}  {canary}");
        }

        var byVersion = new StringBuilder();
        foreach (var (version, count) in answers.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            byVersion.Append(byVersion.Length > 0 ? ", " : string.Empty)
                .Append(CultureInfo.InvariantCulture, $"{(version.Length == 0 ? "the proxy itself" : version)} {count.Succeeded} ok/{count.Failed} failed");
        }

        output.WriteLine($"  users' answers by version: {(byVersion.Length == 0 ? "none" : byVersion.ToString())}");
        var wall = $"wall time {wallTime.TotalSeconds.ToString("0", CultureInfo.InvariantCulture)}s";
        output.WriteLine(virtualTime is { } simulated ? $"  virtual time {Duration(TimeSpan.FromSeconds(Math.Round(simulated.TotalSeconds)))}, {wall}" : $"  {wall}");
    }

    // Padded before it is painted, so that the columns line up with colours too.
    private string Judged(Check? check, Func<double, string> format, int width) => check switch
    {
        null => NoValue.PadLeft(width),
        { Value: { } value } when double.IsFinite(value) => Paint(format(value).PadLeft(width), check.Passed ? null : Red),
        _ => Paint("no data".PadLeft(width), Red),
    };

    private string Elapsed(TimeSpan elapsed) => Paint(
        VirtualTime
            ? $"[{(long)elapsed.TotalMinutes,3}m{elapsed.Seconds:00}s]"
            : $"[{elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture),6}s]",
        Dim);

    private string Paint(string text, string? color) => _color && color is not null ? color + text + Reset : text;

    private sealed record Check(double? Value, bool Passed, DateTimeOffset Time);
}
