using System.Text.Json.Nodes;
using Canary.Kubernetes.Routing;

namespace Canary.Kubernetes.Tests.Routing;

public sealed class ManagedObjectsTests
{
    private static readonly OwnedFields Owned = new(["selector", "rules"], key => key.StartsWith("example.com/", StringComparison.Ordinal));

    [Fact]
    public void MergePatch_OwnedFieldsAsWanted_ReturnsNull()
    {
        var current = Parse("""
            {"metadata":{"labels":{"app.kubernetes.io/managed-by":"canary","team":"web"},"annotations":{"example.com/a":"1","note":"x"}},
             "spec":{"selector":{"app":"a"},"rules":[1,2],"other":true}}
            """);
        var desired = Parse("""{"metadata":{"annotations":{"example.com/a":"1"}},"spec":{"selector":{"app":"a"},"rules":[1,2]}}""");

        ManagedObjects.MergePatch(current, desired, Owned).Should().BeNull();
    }

    [Fact]
    public void MergePatch_MapKeyNoLongerWanted_SetsItToNull()
    {
        var current = Parse("""{"metadata":{"labels":{"app.kubernetes.io/managed-by":"canary"}},"spec":{"selector":{"app":"a","tier":"web"}}}""");
        var desired = Parse("""{"spec":{"selector":{"name":"b"}}}""");

        ManagedObjects.MergePatch(current, desired, Owned).ShouldEqualJson("""{"spec":{"selector":{"name":"b","app":null,"tier":null}}}""");
    }

    [Fact]
    public void MergePatch_OwnedAnnotationNoLongerWanted_RemovesOnlyIt()
    {
        var current = Parse("""
            {"metadata":{"labels":{"app.kubernetes.io/managed-by":"canary"},"annotations":{"example.com/a":"1","example.com/b":"2","note":"x"}}}
            """);
        var desired = Parse("""{"metadata":{"annotations":{"example.com/a":"3"}}}""");

        ManagedObjects.MergePatch(current, desired, Owned).ShouldEqualJson("""
            {"metadata":{"annotations":{"example.com/a":"3","example.com/b":null}}}
            """);
    }

    [Fact]
    public void MergePatch_ObjectWithoutManagedByLabel_AddsIt()
    {
        var current = Parse("""{"metadata":{"labels":{"team":"web"}},"spec":{"rules":[]}}""");
        var desired = Parse("""{"spec":{"rules":[]}}""");

        ManagedObjects.MergePatch(current, desired, Owned).ShouldEqualJson("""{"metadata":{"labels":{"app.kubernetes.io/managed-by":"canary"}}}""");
    }

    [Fact]
    public void MergePatch_OwnedKeyNoLongerWanted_RemovesIt()
    {
        var current = Parse("""{"metadata":{"labels":{"app.kubernetes.io/managed-by":"canary"}},"spec":{"rules":[1],"selector":{"a":"b"}}}""");
        var desired = Parse("""{"spec":{"rules":[1]}}""");

        ManagedObjects.MergePatch(current, desired, Owned).ShouldEqualJson("""{"spec":{"selector":null}}""");
    }

    private static JsonObject Parse(string json) => JsonNode.Parse(json)!.AsObject();
}
