using System.Text.Json;
using System.Text.Json.Nodes;

namespace Canary.Kubernetes.Client;

/// <summary>Parses one line of a watch stream.</summary>
internal static class WatchEventParser
{
    public static WatchEvent? TryParse(string line, out string? problem)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(line);
        }
        catch (JsonException)
        {
            problem = "the line is not JSON";
            return null;
        }

        if (node is not JsonObject envelope)
        {
            problem = "the line is not a JSON object";
            return null;
        }

        var typeText = KubernetesObject.GetString(envelope, "type");
        WatchEventType? type = typeText switch
        {
            "ADDED" => WatchEventType.Added,
            "MODIFIED" => WatchEventType.Modified,
            "DELETED" => WatchEventType.Deleted,
            "BOOKMARK" => WatchEventType.Bookmark,
            "ERROR" => WatchEventType.Error,
            _ => null,
        };
        if (type is null)
        {
            problem = typeText is null ? "the event has no type" : $"the event type \"{Shorten(typeText)}\" is unknown";
            return null;
        }

        if (envelope["object"] is not JsonObject obj)
        {
            problem = "the event has no object";
            return null;
        }

        // Detach the object so that callers own it without the envelope.
        envelope.Remove("object");
        problem = null;
        return new WatchEvent(type.Value, obj);
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : string.Concat(text.AsSpan(0, 40), "…");
}
