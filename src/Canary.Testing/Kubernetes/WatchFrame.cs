using System.Text.Json.Nodes;

namespace Canary.Testing.Kubernetes;

/// <summary>One line of a watch stream: <c>{"type": ..., "object": ...}</c>.</summary>
internal sealed record WatchFrame(string Type, JsonObject Object)
{
    public string ToLine() => JsonTools.Serialize(new JsonObject { ["type"] = Type, ["object"] = Object.DeepClone() }) + "\n";
}
