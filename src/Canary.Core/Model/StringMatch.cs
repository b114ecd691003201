namespace Canary.Model;

/// <summary>A condition on a string value, as Flagger's <c>exact</c>/<c>prefix</c>/<c>suffix</c>/<c>regex</c> matches.</summary>
/// <param name="Kind">How <paramref name="Value"/> is compared.</param>
/// <param name="Value">The value or pattern.</param>
public sealed record StringMatch(StringMatchKind Kind, string Value);
