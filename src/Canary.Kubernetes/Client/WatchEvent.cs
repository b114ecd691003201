using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Nodes;

namespace Canary.Kubernetes.Client;

/// <summary>One line of a watch stream.</summary>
/// <param name="Type">What happened.</param>
/// <param name="Object">The object, its last state for <see cref="WatchEventType.Deleted"/>, or a <c>Status</c> for <see cref="WatchEventType.Error"/>.</param>
public sealed record WatchEvent(
    WatchEventType Type,
    [SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "Mirrors the wire field 'object' and KubernetesClient's name.")]
    JsonObject Object)
{
    /// <summary>Gets the object's <c>metadata.resourceVersion</c>, or <see langword="null"/>.</summary>
    public string? ResourceVersion => KubernetesObject.GetResourceVersion(Object);

    /// <summary>Gets the parsed <c>Status</c> of an <see cref="WatchEventType.Error"/> event, otherwise <see langword="null"/>.</summary>
    public KubernetesStatus? Status => Type == WatchEventType.Error ? KubernetesStatus.FromJson(Object) : null;
}
