namespace Canary.Model;

/// <summary>A host command waiting for the next step.</summary>
/// <param name="Command">What to do.</param>
/// <param name="Reason">Why, as the host said it; it appears in the command's event.</param>
/// <param name="RequestedAt">When the host asked.</param>
public sealed record CanaryCommandRequest(CanaryCommand Command, string? Reason, DateTimeOffset RequestedAt);
