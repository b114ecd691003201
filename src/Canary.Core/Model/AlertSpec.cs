namespace Canary.Model;

/// <summary>An alert destination for a canary's events, as Flagger's <c>analysis.alerts</c>.</summary>
/// <param name="Name">The alert's name.</param>
/// <param name="Severity">The lowest severity sent.</param>
/// <param name="ProviderRef">The alert provider (Slack, Teams, …) that delivers it.</param>
public sealed record AlertSpec(string Name, AlertSeverity Severity, ProviderReference ProviderRef);
