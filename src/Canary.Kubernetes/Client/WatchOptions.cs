namespace Canary.Kubernetes.Client;

/// <summary>Query parameters of a watch request, plus how malformed lines are reported.</summary>
public sealed record WatchOptions
{
    /// <summary>Gets the label selector; objects entering or leaving it show up as ADDED or DELETED.</summary>
    public string? LabelSelector { get; init; }

    /// <summary>Gets the field selector.</summary>
    public string? FieldSelector { get; init; }

    /// <summary>
    /// Gets the resource version to start after. Unset or <c>"0"</c> makes the server first send a synthetic ADDED event per
    /// existing object; any other value starts exactly there.
    /// </summary>
    public string? ResourceVersion { get; init; }

    /// <summary>Gets a value indicating whether the server may send BOOKMARK events that only advance the resource version.</summary>
    public bool AllowWatchBookmarks { get; init; }

    /// <summary>Gets how long the server keeps the watch open before it ends the stream, or <see langword="null"/> for its default.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>
    /// Gets a callback told about every line that is not a valid watch event. The line is skipped and the watch goes on. The
    /// callback receives a description, never the line itself, which may hold secret data.
    /// </summary>
    public Action<string>? OnMalformedLine { get; init; }
}
