using System.Text.Json.Nodes;
using Canary.Kubernetes.Workloads;

namespace Canary.Kubernetes.Tests.TestSupport;

/// <summary>Canonical JSON text (sorted keys, 3 = 3.0), so that trees compare with FluentAssertions' string equality and read well in failures.</summary>
internal static class Json
{
    public static string Of(JsonNode? node) => JsonTree.Canonical(node);
}
