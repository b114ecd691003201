using System.Text.Json;
using System.Text.Json.Nodes;

namespace Canary.Kubernetes.Tests.Routing;

/// <summary>Compares JSON by value, showing both documents when they differ.</summary>
internal static class JsonAssertions
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

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
