using System.Globalization;
using System.Text.Json.Nodes;
using Canary.Kubernetes.Client;

namespace Canary.Kubernetes.Controller;

/// <summary>Builds <c>core/v1</c> Events about Canary objects, as <c>kubectl describe canary</c> lists them.</summary>
internal static class EventObjects
{
    // The API server refuses longer Event messages.
    public const int MaxMessageLength = 1024;

    private static long _sequence;

    /// <summary>Returns an Event on a Canary object, named as the API server's own recorder names them (the object's name and a hex time).</summary>
    /// <param name="canaryResource">The Canary resource type.</param>
    /// <param name="namespaceName">The Canary's namespace.</param>
    /// <param name="name">The Canary's name.</param>
    /// <param name="uid">The Canary's uid, which <c>kubectl describe</c> selects events by, or <see langword="null"/>.</param>
    /// <param name="type"><c>Normal</c> or <c>Warning</c>.</param>
    /// <param name="reason">A CamelCase reason.</param>
    /// <param name="message">The message, cut to what the API accepts.</param>
    /// <param name="component">The reporting component.</param>
    /// <param name="instance">The reporting replica.</param>
    /// <param name="now">When it happened.</param>
    public static JsonObject Create(
        ResourceType canaryResource, string namespaceName, string name, string? uid, string type, string reason, string message, string component, string instance, DateTimeOffset now)
    {
        var stamp = now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

        // Nanoseconds alone collide when several events share an instant (one step, or a manual clock): a sequence keeps names apart.
        var nanoseconds = (now.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100;
        var suffix = $"{nanoseconds.ToString("x", CultureInfo.InvariantCulture)}{(Interlocked.Increment(ref _sequence) & 0xffff).ToString("x4", CultureInfo.InvariantCulture)}";
        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Event",
            ["metadata"] = new JsonObject { ["name"] = $"{name}.{suffix}", ["namespace"] = namespaceName },
            ["involvedObject"] = new JsonObject
            {
                ["apiVersion"] = canaryResource.ApiVersion,
                ["kind"] = canaryResource.Kind,
                ["name"] = name,
                ["namespace"] = namespaceName,
                ["uid"] = uid,
            },
            ["reason"] = reason,
            ["message"] = message.Length <= MaxMessageLength ? message : string.Concat(message.AsSpan(0, MaxMessageLength - 1), "…"),
            ["type"] = type,
            ["source"] = new JsonObject { ["component"] = component },
            ["reportingComponent"] = component,
            ["reportingInstance"] = instance,
            ["firstTimestamp"] = stamp,
            ["lastTimestamp"] = stamp,
            ["count"] = 1,
        };
    }
}
