namespace Canary.Testing.Kubernetes;

/// <summary>What a write targets and the options it came with.</summary>
internal sealed record WriteRequest(ApiResource Resource, string? Namespace, string? Name, string? Subresource, string FieldManager)
{
    public bool DryRun { get; init; }

    public bool Force { get; init; }

    public bool ForceSpecified { get; init; }

    public bool FieldManagerSpecified { get; init; }

    public string NamespaceOrEmpty => Namespace ?? string.Empty;
}
