namespace Canary.Kubernetes.Client;

/// <summary>One cause inside a <c>Status</c>'s <c>details.causes</c>, typically one invalid field.</summary>
/// <param name="Reason">The cause type, for example <c>FieldValueRequired</c> or <c>FieldManagerConflict</c>.</param>
/// <param name="Message">The human-readable explanation.</param>
/// <param name="Field">The field path, for example <c>spec.replicas</c> or <c>metadata.resourceVersion</c>.</param>
public sealed record KubernetesStatusCause(string? Reason, string? Message, string? Field);
