namespace Canary.Kubernetes.Client;

/// <summary>Query parameters of a list request.</summary>
public sealed record ListOptions
{
    /// <summary>Gets the label selector, for example <c>app=web,track!=canary</c>.</summary>
    public string? LabelSelector { get; init; }

    /// <summary>Gets the field selector, for example <c>metadata.name=web</c>.</summary>
    public string? FieldSelector { get; init; }

    /// <summary>Gets the page size; the server then returns a <c>metadata.continue</c> token for the next page.</summary>
    public int? Limit { get; init; }

    /// <summary>Gets the <c>continue</c> token of the previous page.</summary>
    public string? Continue { get; init; }

    /// <summary>Gets the resource version to read at; see <see cref="ResourceVersionMatch"/>.</summary>
    public string? ResourceVersion { get; init; }

    /// <summary>Gets how <see cref="ResourceVersion"/> is interpreted: <c>NotOlderThan</c> or <c>Exact</c>.</summary>
    public string? ResourceVersionMatch { get; init; }
}
