using System.Net;
using System.Text.Json.Nodes;

namespace Canary.Testing.Tests.Kubernetes;

/// <summary>An HTTP answer of the fake server: status and JSON body.</summary>
internal sealed record ApiResponse(HttpStatusCode Status, JsonObject Body)
{
    public string? Str(string path) => Node(path) is JsonValue value && value.TryGetValue<string>(out var s) ? s : Node(path)?.ToJsonString();

    public long? Long(string path) => Node(path) is JsonValue value && value.TryGetValue<long>(out var l) ? l : null;

    /// <summary>A node by dotted path; numeric segments index arrays (e.g. "details.causes.0.field").</summary>
    public JsonNode? Node(string path) => Objects.At(Body, path);
}
