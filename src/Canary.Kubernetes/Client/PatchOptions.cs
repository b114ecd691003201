namespace Canary.Kubernetes.Client;

/// <summary>Query parameters of a patch request.</summary>
public sealed record PatchOptions
{
    /// <summary>Gets the field manager; required for server-side apply, at most 128 printable characters.</summary>
    public string? FieldManager { get; init; }

    /// <summary>Gets a value indicating whether server-side apply takes ownership of fields other managers own. Only valid for apply.</summary>
    public bool Force { get; init; }
}
