using System.Text.Json.Nodes;

namespace Canary.Testing.Kubernetes;

/// <summary>One committed change: the object after it (the last state for DELETED) and the object before it.</summary>
internal sealed record StoreEvent(long Revision, string Type, ApiResource Resource, string Namespace, string Name, JsonObject Object, JsonObject? Previous)
{
    public const string Added = "ADDED";
    public const string Modified = "MODIFIED";
    public const string Deleted = "DELETED";
}
