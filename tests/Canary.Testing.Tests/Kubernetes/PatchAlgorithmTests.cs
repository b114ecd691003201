using System.Text.Json.Nodes;
using Canary.Testing.Kubernetes;

namespace Canary.Testing.Tests.Kubernetes;

public sealed class PatchAlgorithmTests
{
    [Theory]
    [InlineData("""{"a":"b"}""", """{"a":"c"}""", """{"a":"c"}""")]
    [InlineData("""{"a":"b"}""", """{"b":"c"}""", """{"a":"b","b":"c"}""")]
    [InlineData("""{"a":"b"}""", """{"a":null}""", """{}""")]
    [InlineData("""{"a":"b","b":"c"}""", """{"a":null}""", """{"b":"c"}""")]
    [InlineData("""{"a":["b"]}""", """{"a":"c"}""", """{"a":"c"}""")]
    [InlineData("""{"a":"c"}""", """{"a":["b"]}""", """{"a":["b"]}""")]
    [InlineData("""{"a":{"b":"c"}}""", """{"a":{"b":"d","c":null}}""", """{"a":{"b":"d"}}""")]
    [InlineData("""{"a":[{"b":"c"}]}""", """{"a":[1]}""", """{"a":[1]}""")]
    [InlineData("""{"e":null}""", """{"a":1}""", """{"e":null,"a":1}""")]
    [InlineData("""{}""", """{"a":{"bb":{"ccc":null}}}""", """{"a":{"bb":{}}}""")]
    public void JsonMergePatch_Rfc7386Examples_ProduceTheDocumentedResults(string target, string patch, string expected)
    {
        var result = JsonMergePatch.Apply(JsonNode.Parse(target), JsonNode.Parse(patch));

        JsonNode.DeepEquals(result, JsonNode.Parse(expected)).Should().BeTrue(result?.ToJsonString());
    }

    [Fact]
    public void JsonPatch_AddToRootPath_ReplacesTheDocument()
    {
        var result = JsonPatch.Apply(JsonNode.Parse("""{"a":1}"""), JsonNode.Parse("""[{"op":"add","path":"","value":{"b":2}}]"""));

        result!.ToJsonString().Should().Be("""{"b":2}""");
    }

    [Fact]
    public void JsonPatch_EscapedTokens_AddressKeysWithSlashAndTilde()
    {
        var result = JsonPatch.Apply(JsonNode.Parse("""{"a/b":1,"m~n":2}"""),
            JsonNode.Parse("""[{"op":"replace","path":"/a~1b","value":3},{"op":"remove","path":"/m~0n"}]"""));

        result!.ToJsonString().Should().Be("""{"a/b":3}""");
    }

    [Fact]
    public void JsonPatch_LeadingZeroIndex_DoesNotApply()
    {
        var act = () => JsonPatch.Apply(JsonNode.Parse("""{"a":[1,2]}"""), JsonNode.Parse("""[{"op":"remove","path":"/a/01"}]"""));

        act.Should().Throw<KubernetesStatusException>().Which.Code.Should().Be(422);
    }

    [Fact]
    public void JsonPatch_TestWithJsonNull_MatchesAnExistingNull()
    {
        var result = JsonPatch.Apply(JsonNode.Parse("""{"a":null}"""), JsonNode.Parse("""[{"op":"test","path":"/a","value":null}]"""));

        result!.ToJsonString().Should().Be("""{"a":null}""");
    }

    [Fact]
    public void StrategicMergePatch_RetainKeys_DropsKeysNotListed()
    {
        var original = JsonNode.Parse("""{"strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":1}}}""")!.AsObject();

        var result = StrategicMergePatch.Apply(original, JsonNode.Parse("""{"strategy":{"$retainKeys":["type"],"type":"Recreate"}}""")!.AsObject());

        result.ToJsonString().Should().Be("""{"strategy":{"type":"Recreate"}}""");
    }

    [Fact]
    public void StrategicMergePatch_Finalizers_MergeAsASetAndDeleteFromPrimitiveList()
    {
        var original = JsonNode.Parse("""{"metadata":{"finalizers":["a","b"]}}""")!.AsObject();

        var result = StrategicMergePatch.Apply(original, JsonNode.Parse("""{"metadata":{"finalizers":["c"],"$deleteFromPrimitiveList/finalizers":["a"]}}""")!.AsObject());

        result["metadata"]!["finalizers"]!.ToJsonString().Should().Be("""["b","c"]""");
    }

    [Fact]
    public void StrategicMergePatch_SetElementOrderDirective_IsIgnored()
    {
        var original = JsonNode.Parse("""{"spec":{"containers":[{"name":"a","image":"x"}]}}""")!.AsObject();

        var result = StrategicMergePatch.Apply(original,
            JsonNode.Parse("""{"spec":{"$setElementOrder/containers":[{"name":"a"}],"containers":[{"name":"a","image":"y"}]}}""")!.AsObject());

        result.ToJsonString().Should().Be("""{"spec":{"containers":[{"name":"a","image":"y"}]}}""");
    }

    [Fact]
    public void StrategicMergePatch_ItemWithoutMergeKey_IsABadRequest()
    {
        var original = JsonNode.Parse("""{"containers":[{"name":"a"}]}""")!.AsObject();

        var act = () => StrategicMergePatch.Apply(original, JsonNode.Parse("""{"containers":[{"image":"y"}]}""")!.AsObject());

        act.Should().Throw<KubernetesStatusException>().Which.Code.Should().Be(400);
    }

    [Fact]
    public void YamlJson_PlainAndQuotedScalars_ResolveLikeTheCoreSchema()
    {
        var node = YamlJson.Parse("a: 1\nb: \"1\"\nc: true\nd: 'yes'\ne: ~\nf: 1.5\ng: web\nh: [x, 2]\n")!;

        node.ToJsonString().Should().Be("""{"a":1,"b":"1","c":true,"d":"yes","e":null,"f":1.5,"g":"web","h":["x",2]}""");
    }

    [Fact]
    public void FieldPaths_FieldsV1_RoundTripsAPathSet()
    {
        var obj = JsonNode.Parse("""{"metadata":{"labels":{"app":"web"},"finalizers":["x"]},"spec":{"replicas":2,"template":{"spec":{"containers":[{"name":"app","image":"i"}]}}}}""")!.AsObject();
        var paths = FieldPaths.Collect(obj, FieldPaths.Scope.All, builtIn: true);

        var fields = FieldPaths.ToFieldsV1(paths);
        var back = FieldPaths.FromFieldsV1(fields);

        back.Should().BeEquivalentTo(paths);
        fields["f:spec"]!["f:template"]!["f:spec"]!["f:containers"]!["k:{\"name\":\"app\"}"]!["."].Should().NotBeNull();
        fields["f:metadata"]!["f:finalizers"]!["v:\"x\""].Should().NotBeNull();
    }
}
