using System.Net;
using System.Text.Json.Nodes;

namespace Canary.Testing.Tests.Kubernetes;

public sealed class FakeApiPatchTests : IAsyncLifetime
{
    private const string Merge = "application/merge-patch+json";
    private const string Json = "application/json-patch+json";
    private const string Strategic = "application/strategic-merge-patch+json";

    private ApiHarness _api = null!;

    public async Task InitializeAsync()
    {
        _api = await ApiHarness.StartAsync(o => o with { SimulateDeployments = false });
        _api.Server.RegisterCustomResource("example.com", "v1", "widgets", "Widget");
        await _api.CreateAsync(Paths.ConfigMaps(), Objects.ConfigMap("cm", data: new JsonObject { ["a"] = "1", ["b"] = "2" }));
        await _api.CreateAsync(Paths.Deployments(), Objects.Deployment("web"));
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task MergePatch_NullValue_RemovesTheKey()
    {
        var response = await _api.PatchAsync(Paths.ConfigMap("cm"), Merge, """{"data":{"a":null,"c":"3"}}""");

        response.Status.Should().Be(HttpStatusCode.OK);
        Objects.Json(response.Node("data")).Should().Be("""{"b":"2","c":"3"}""");
    }

    [Fact]
    public async Task MergePatch_List_ReplacesItWhole()
    {
        var response = await _api.PatchAsync(Paths.Deployment("web"), Merge,
            """{"spec":{"template":{"spec":{"containers":[{"name":"sidecar","image":"envoy"}]}}}}""");

        Objects.Json(response.Node("spec.template.spec.containers")).Should().Be("""[{"name":"sidecar","image":"envoy"}]""");
    }

    [Fact]
    public async Task MergePatch_CharsetParameter_IsAccepted()
    {
        var response = await _api.PatchAsync(Paths.ConfigMap("cm"), Merge + "; charset=utf-8", """{"data":{"a":"x"}}""");

        response.Status.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task MergePatch_StaleResourceVersion_Returns409()
    {
        var response = await _api.PatchAsync(Paths.ConfigMap("cm"), Merge, """{"metadata":{"resourceVersion":"1"},"data":{"a":"x"}}""");

        response.Status.Should().Be(HttpStatusCode.Conflict);
        response.Str("reason").Should().Be("Conflict");
    }

    [Fact]
    public async Task MergePatch_MissingObject_Returns404()
    {
        var response = await _api.PatchAsync(Paths.ConfigMap("nope"), Merge, """{"data":{"a":"x"}}""");

        response.Status.Should().Be(HttpStatusCode.NotFound);
        response.Str("message").Should().Be("configmaps \"nope\" not found");
    }

    [Fact]
    public async Task MergePatch_InvalidJson_Returns400()
    {
        var response = await _api.PatchAsync(Paths.ConfigMap("cm"), Merge, """{"data":""");

        response.Status.Should().Be(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task JsonPatch_AllOperations_ApplyInOrder()
    {
        var patch = """
            [
              {"op":"add","path":"/data/c","value":"3"},
              {"op":"remove","path":"/data/b"},
              {"op":"replace","path":"/data/a","value":"one"},
              {"op":"copy","from":"/data/a","path":"/data/copied"},
              {"op":"move","from":"/data/c","path":"/data/moved"},
              {"op":"test","path":"/data/moved","value":"3"},
              {"op":"add","path":"/metadata/labels","value":{"x~y/z":"1"}}
            ]
            """;

        var response = await _api.PatchAsync(Paths.ConfigMap("cm"), Json, patch);

        response.Status.Should().Be(HttpStatusCode.OK);
        Objects.Json(response.Node("data")).Should().Be("""{"a":"one","copied":"one","moved":"3"}""");
        response.Str("metadata.labels.x~y/z").Should().Be("1");
    }

    [Fact]
    public async Task JsonPatch_EscapedPointerAndArrayIndexes_AddressTheRightNodes()
    {
        var patch = """
            [
              {"op":"add","path":"/metadata/annotations","value":{}},
              {"op":"add","path":"/metadata/annotations/canary~1weight","value":"10"},
              {"op":"add","path":"/spec/template/spec/containers/0/env/-","value":{"name":"LAST","value":"z"}},
              {"op":"add","path":"/spec/template/spec/containers/0/env/0","value":{"name":"FIRST","value":"a"}}
            ]
            """;

        var response = await _api.PatchAsync(Paths.Deployment("web"), Json, patch);

        response.Str("metadata.annotations.canary/weight").Should().Be("10");
        var env = response.Node("spec.template.spec.containers.0.env")!.AsArray().Select(e => Objects.Str(e, "name"));
        env.Should().Equal("FIRST", "MODE", "LAST");
    }

    [Fact]
    public async Task JsonPatch_FailingTest_Returns422AndChangesNothing()
    {
        var before = await _api.GetAsync(Paths.ConfigMap("cm"));

        var response = await _api.PatchAsync(Paths.ConfigMap("cm"), Json,
            """[{"op":"replace","path":"/data/a","value":"changed"},{"op":"test","path":"/data/b","value":"wrong"}]""");
        var after = await _api.GetAsync(Paths.ConfigMap("cm"));

        response.Status.Should().Be(HttpStatusCode.UnprocessableEntity);
        Objects.Json(response.Body).Should().Be(
            """{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"the server rejected our request due to an error in our request","reason":"Invalid","details":{},"code":422}""");
        after.Str("metadata.resourceVersion").Should().Be(before.Str("metadata.resourceVersion"));
        after.Str("data.a").Should().Be("1");
    }

    [Theory]
    [InlineData("""[{"op":"remove","path":"/data/missing"}]""")]
    [InlineData("""[{"op":"replace","path":"/spec/nothing/here","value":1}]""")]
    [InlineData("""[{"op":"add","path":"/data/a/b/c","value":1}]""")]
    [InlineData("""[{"op":"add","path":"/metadata/finalizers/5","value":"x"}]""")]
    [InlineData("""[{"op":"move","from":"/data","path":"/data/inner"}]""")]
    public async Task JsonPatch_PathThatDoesNotApply_Returns422(string patch)
    {
        var response = await _api.PatchAsync(Paths.ConfigMap("cm"), Json, patch);

        response.Status.Should().Be(HttpStatusCode.UnprocessableEntity);
    }

    [Theory]
    [InlineData("""{"op":"add","path":"/data/a","value":"1"}""")]
    [InlineData("""[{"op":"frobnicate","path":"/data/a"}]""")]
    [InlineData("""[{"op":"add","path":"/data/a"}]""")]
    [InlineData("""[{"op":"move","path":"/data/a"}]""")]
    public async Task JsonPatch_MalformedDocument_Returns400(string patch)
    {
        var response = await _api.PatchAsync(Paths.ConfigMap("cm"), Json, patch);

        response.Status.Should().Be(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task JsonPatch_TestOnResourceVersion_ActsAsPrecondition()
    {
        var current = await _api.GetAsync(Paths.ConfigMap("cm"));
        var patch = new JsonArray(
            new JsonObject { ["op"] = "test", ["path"] = "/metadata/resourceVersion", ["value"] = current.Str("metadata.resourceVersion") },
            new JsonObject { ["op"] = "replace", ["path"] = "/data/a", ["value"] = "guarded" });

        var first = await _api.PatchAsync(Paths.ConfigMap("cm"), Json, patch);
        var second = await _api.PatchAsync(Paths.ConfigMap("cm"), Json, patch);

        first.Status.Should().Be(HttpStatusCode.OK);
        second.Status.Should().Be(HttpStatusCode.UnprocessableEntity);
    }

    [Fact]
    public async Task StrategicMergePatch_Containers_MergeByName()
    {
        var response = await _api.PatchAsync(Paths.Deployment("web"), Strategic,
            """{"spec":{"template":{"spec":{"containers":[{"name":"app","image":"podinfo:2.0"},{"name":"sidecar","image":"envoy"}]}}}}""");

        var containers = response.Node("spec.template.spec.containers")!.AsArray();
        containers.Should().HaveCount(2);
        Objects.Str(containers[0], "image").Should().Be("podinfo:2.0");
        Objects.Long(containers[0], "ports.0.containerPort").Should().Be(8080);
        Objects.Str(containers[1], "name").Should().Be("sidecar");
    }

    [Fact]
    public async Task StrategicMergePatch_EnvAndPorts_MergeByTheirKeys()
    {
        var response = await _api.PatchAsync(Paths.Deployment("web"), Strategic,
            """{"spec":{"template":{"spec":{"containers":[{"name":"app","env":[{"name":"MODE","value":"canary"},{"name":"NEW","value":"1"}],"ports":[{"containerPort":9090}]}]}}}}""");

        var container = response.Node("spec.template.spec.containers.0")!;
        Objects.Json(container["env"]).Should().Be("""[{"name":"MODE","value":"canary"},{"name":"NEW","value":"1"}]""");
        Objects.Json(container["ports"]).Should().Be("""[{"containerPort":8080},{"containerPort":9090}]""");
    }

    [Fact]
    public async Task StrategicMergePatch_DeleteDirective_RemovesTheListItem()
    {
        var response = await _api.PatchAsync(Paths.Deployment("web"), Strategic,
            """{"spec":{"template":{"spec":{"containers":[{"name":"app","env":[{"name":"MODE","$patch":"delete"}]}]}}}}""");

        response.Node("spec.template.spec.containers.0.env")!.AsArray().Should().BeEmpty();
    }

    [Fact]
    public async Task StrategicMergePatch_ReplaceDirective_ReplacesTheMap()
    {
        var response = await _api.PatchAsync(Paths.ConfigMap("cm"), Strategic, """{"data":{"$patch":"replace","only":"this"}}""");

        Objects.Json(response.Node("data")).Should().Be("""{"only":"this"}""");
    }

    [Fact]
    public async Task StrategicMergePatch_ServicePorts_MergeByPort()
    {
        var service = new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "web" },
            ["spec"] = new JsonObject { ["ports"] = new JsonArray(new JsonObject { ["name"] = "http", ["port"] = 80 }) },
        };
        await _api.CreateAsync("/api/v1/namespaces/default/services", service);

        var response = await _api.PatchAsync("/api/v1/namespaces/default/services/web", Strategic, """{"spec":{"ports":[{"port":80,"targetPort":8080}]}}""");

        response.Node("spec.ports")!.AsArray().Should().HaveCount(1);
        response.Str("spec.ports.0.name").Should().Be("http");
        response.Long("spec.ports.0.targetPort").Should().Be(8080);
    }

    [Fact]
    public async Task StrategicMergePatch_CustomResource_Returns415()
    {
        await _api.CreateAsync(Paths.Widgets(), Objects.Widget("w"));

        var response = await _api.PatchAsync(Paths.Widget("w"), Strategic, """{"spec":{"size":"large"}}""");

        response.Status.Should().Be(HttpStatusCode.UnsupportedMediaType);
        response.Str("reason").Should().Be("UnsupportedMediaType");
        response.Str("message").Should().Be(
            "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml");
    }

    [Fact]
    public async Task Patch_UnknownContentType_Returns415ListingBuiltInTypes()
    {
        var response = await _api.PatchAsync(Paths.ConfigMap("cm"), "application/json", """{"data":{}}""");

        response.Status.Should().Be(HttpStatusCode.UnsupportedMediaType);
        response.Str("message").Should().EndWith(
            "application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json, application/apply-patch+yaml");
    }

    [Fact]
    public async Task Patch_ForceOnNonApplyPatch_Returns422()
    {
        var response = await _api.PatchAsync(Paths.ConfigMap("cm") + "?force=true", Merge, """{"data":{"a":"x"}}""");

        response.Status.Should().Be(HttpStatusCode.UnprocessableEntity);
        response.Str("details.causes.0.field").Should().Be("force");
    }

    [Fact]
    public async Task Patch_DryRun_ReturnsResultWithoutStoringIt()
    {
        var response = await _api.PatchAsync(Paths.ConfigMap("cm") + "?dryRun=All", Merge, """{"data":{"a":"dry"}}""");
        var stored = await _api.GetAsync(Paths.ConfigMap("cm"));

        response.Str("data.a").Should().Be("dry");
        stored.Str("data.a").Should().Be("1");
    }
}
