namespace Canary.Kubernetes.Client;

/// <summary>The <c>details</c> of a <c>Status</c>.</summary>
/// <param name="Name">The object's name.</param>
/// <param name="Group">The API group.</param>
/// <param name="Kind">The resource plural for NotFound, AlreadyExists and Conflict; the kind for Invalid.</param>
/// <param name="Uid">The object's uid, when known.</param>
/// <param name="Causes">The individual causes, often one per invalid field.</param>
/// <param name="RetryAfterSeconds">How long the server asks the client to wait, when it says.</param>
public sealed record KubernetesStatusDetails(
    string? Name,
    string? Group,
    string? Kind,
    string? Uid,
    IReadOnlyList<KubernetesStatusCause> Causes,
    int? RetryAfterSeconds);
