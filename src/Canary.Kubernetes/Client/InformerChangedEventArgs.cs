using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Nodes;

namespace Canary.Kubernetes.Client;

/// <summary>One change to a <see cref="KubernetesInformer"/>'s cache.</summary>
public sealed class InformerChangedEventArgs : EventArgs
{
    /// <summary>Initializes a new instance of the <see cref="InformerChangedEventArgs"/> class.</summary>
    /// <param name="type"><see cref="WatchEventType.Added"/>, <see cref="WatchEventType.Modified"/> or <see cref="WatchEventType.Deleted"/>.</param>
    /// <param name="key">The cache key, <c>namespace/name</c> or <c>name</c>.</param>
    /// <param name="obj">A copy of the object; for deletions, its last known state.</param>
    public InformerChangedEventArgs(WatchEventType type, string key, JsonObject obj)
    {
        Type = type;
        Key = key;
        Object = obj;
    }

    /// <summary>Gets what happened.</summary>
    public WatchEventType Type { get; }

    /// <summary>Gets the cache key, <c>namespace/name</c> or <c>name</c>.</summary>
    public string Key { get; }

    /// <summary>Gets a copy of the object; for deletions, its last known state.</summary>
    [SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "Mirrors WatchEvent.Object.")]
    public JsonObject Object { get; }
}
