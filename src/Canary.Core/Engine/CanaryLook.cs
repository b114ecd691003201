using Canary.Model;

namespace Canary.Engine;

/// <summary>What a look of the sequential judge between analysis steps (<see cref="CanaryEngine.LookAsync"/>) came to.</summary>
/// <param name="Status">The canary's status after the look.</param>
/// <param name="StepNow">
/// Whether the judge reached a verdict that a step should act on now rather than at the next interval: it accepted
/// the canary, which may then be promoted without waiting out the interval.
/// </param>
public sealed record CanaryLook(CanaryStatus Status, bool StepNow);
