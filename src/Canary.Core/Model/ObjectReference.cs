namespace Canary.Model;

/// <summary>A reference to a Kubernetes object in the canary's namespace.</summary>
/// <param name="ApiVersion">The object's API version, for example <c>apps/v1</c>.</param>
/// <param name="Kind">The object's kind, for example <c>Deployment</c>.</param>
/// <param name="Name">The object's name.</param>
public sealed record ObjectReference(string ApiVersion, string Kind, string Name);
