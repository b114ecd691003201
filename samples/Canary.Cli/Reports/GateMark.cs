namespace Canary.Cli.Reports;

/// <summary>A gate on the timeline: a span of waiting at a confirm gate, or a failed gating webhook.</summary>
/// <param name="Start">When it began.</param>
/// <param name="End">When it ended; the same as <paramref name="Start"/> for a moment.</param>
/// <param name="Kind">What it is.</param>
/// <param name="Label">The webhook's name.</param>
/// <param name="Message">What the engine said.</param>
/// <param name="Count">How many events it stands for.</param>
/// <param name="EventIndex">The position of its first event in the rollout.</param>
internal sealed record GateMark(DateTimeOffset Start, DateTimeOffset End, GateMarkKind Kind, string Label, string Message, int Count, int EventIndex);
