using System.Text.Json;
using System.Text.Json.Nodes;

namespace Canary.Kubernetes.Tests.Routing;

/// <summary>Compares JSON by value, showing both documents when they differ.</summary>
internal static class JsonAssertions
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>Compares an object as written, leaving out what the server adds (uid, resourceVersion, generation, timestamps, status).</summary>
    public static void ShouldEqualWrittenObject(this JsonObject actual, string expected)
    {
        var copy = (JsonObject)actual.DeepClone();
        copy.Remove("status");
        if (copy["metadata"] is JsonObject metadata)
        {
            foreach (var key in new[] { "uid", "resourceVersion", "generation", "creationTimestamp", "managedFields" })
            {
                metadata.Remove(key);
            }
        }

        copy.ShouldEqualJson(expected);
    }

    public static void ShouldEqualJson(this JsonNode? actual, string expected)
    {
        var wanted = JsonNode.Parse(expected);
        JsonNode.DeepEquals(actual, wanted).Should().BeTrue(
            "expected {0}{1}{0}but found{0}{2}",
            Environment.NewLine,
            wanted?.ToJsonString(Indented),
            actual?.ToJsonString(Indented));
    }
}
