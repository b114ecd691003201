namespace Canary.Model;

/// <summary>One request match: every condition must hold (AND); a list of matches is an OR.</summary>
public sealed record HttpMatch
{
    /// <summary>Gets the header conditions, keyed by header name (a <c>cookie</c> header selects by cookie).</summary>
    public IReadOnlyDictionary<string, StringMatch> Headers { get; init; } = new Dictionary<string, StringMatch>();

    /// <summary>Gets the query-parameter conditions, keyed by parameter name.</summary>
    public IReadOnlyDictionary<string, StringMatch> QueryParams { get; init; } = new Dictionary<string, StringMatch>();
}
