using System.Net;

namespace Canary.Testing.Tests.Kubernetes;

public sealed class FakeApiApplyTests : IAsyncLifetime
{
    private const string Apply = "application/apply-patch+yaml";

    private const string WebV1 = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
          labels:
            app: web
        spec:
          replicas: 3
          selector:
            matchLabels: {app: web}
          template:
            metadata:
              labels: {app: web}
            spec:
              containers:
              - name: app
                image: "podinfo:1.0"
        """;

    private ApiHarness _api = null!;

    public async Task InitializeAsync() => _api = await ApiHarness.StartAsync(o => o with { SimulateDeployments = false });

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task Apply_MissingObject_CreatesItWith201AndRecordsTheManager()
    {
        var response = await _api.PatchAsync(Paths.Deployment("web") + "?fieldManager=canary", Apply, WebV1);

        response.Status.Should().Be(HttpStatusCode.Created);
        response.Long("spec.replicas").Should().Be(3);
        response.Str("spec.template.spec.containers.0.image").Should().Be("podinfo:1.0");
        response.Str("metadata.managedFields.0.manager").Should().Be("canary");
        response.Str("metadata.managedFields.0.operation").Should().Be("Apply");
        response.Node("metadata.managedFields.0.fieldsV1.f:spec.f:replicas").Should().NotBeNull();
        response.Node("metadata.managedFields.0.fieldsV1.f:spec.f:template.f:spec.f:containers.k:{\"name\":\"app\"}.f:image").Should().NotBeNull();
    }

    [Fact]
    public async Task Apply_WithoutFieldManager_Returns422()
    {
        var response = await _api.PatchAsync(Paths.Deployment("web"), Apply, WebV1);

        response.Status.Should().Be(HttpStatusCode.UnprocessableEntity);
        response.Str("message").Should().Be("PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch");
    }

    [Fact]
    public async Task Apply_SameManagerAgain_UpdatesWithoutConflict()
    {
        await _api.PatchAsync(Paths.Deployment("web") + "?fieldManager=canary", Apply, WebV1);

        var response = await _api.PatchAsync(Paths.Deployment("web") + "?fieldManager=canary", Apply, WebV1.Replace("replicas: 3", "replicas: 5"));

        response.Status.Should().Be(HttpStatusCode.OK);
        response.Long("spec.replicas").Should().Be(5);
        response.Long("metadata.generation").Should().Be(2);
    }

    [Fact]
    public async Task Apply_FieldOwnedByAnotherApplier_Returns409FieldManagerConflict()
    {
        await _api.PatchAsync(Paths.Deployment("web") + "?fieldManager=kubectl", Apply, WebV1);

        var response = await _api.PatchAsync(Paths.Deployment("web") + "?fieldManager=canary", Apply, WebV1.Replace("replicas: 3", "replicas: 1"));

        response.Status.Should().Be(HttpStatusCode.Conflict);
        response.Str("reason").Should().Be("Conflict");
        response.Str("message").Should().Be("Apply failed with 1 conflict: conflict with \"kubectl\": .spec.replicas");
        response.Str("details.causes.0.reason").Should().Be("FieldManagerConflict");
        response.Str("details.causes.0.field").Should().Be(".spec.replicas");
        response.Str("details.causes.0.message").Should().Be("conflict with \"kubectl\"");
    }

    [Fact]
    public async Task Apply_FieldChangedByAnUpdate_ConflictsWithTheUpdater()
    {
        await _api.PatchAsync(Paths.Deployment("web") + "?fieldManager=canary", Apply, WebV1);
        await _api.PatchAsync(Paths.Deployment("web") + "/scale?fieldManager=kubectl-scale", "application/merge-patch+json", """{"spec":{"replicas":7}}""");

        var response = await _api.PatchAsync(Paths.Deployment("web") + "?fieldManager=canary", Apply, WebV1);

        response.Status.Should().Be(HttpStatusCode.Conflict);
        response.Str("message").Should().Be("Apply failed with 1 conflict: conflict with \"kubectl-scale\" using apps/v1: .spec.replicas");
    }

    [Fact]
    public async Task Apply_Force_TakesOwnershipAndSetsTheValue()
    {
        await _api.PatchAsync(Paths.Deployment("web") + "?fieldManager=kubectl", Apply, WebV1);

        var response = await _api.PatchAsync(Paths.Deployment("web") + "?fieldManager=canary&force=true", Apply, WebV1.Replace("replicas: 3", "replicas: 1"));
        var again = await _api.PatchAsync(Paths.Deployment("web") + "?fieldManager=kubectl", Apply, WebV1);

        response.Status.Should().Be(HttpStatusCode.OK);
        response.Long("spec.replicas").Should().Be(1);
        again.Status.Should().Be(HttpStatusCode.Conflict);
        again.Str("message").Should().Be("Apply failed with 1 conflict: conflict with \"canary\": .spec.replicas");
    }

    [Fact]
    public async Task Apply_SameValueAsAnotherManager_SharesOwnershipWithoutConflict()
    {
        await _api.PatchAsync(Paths.Deployment("web") + "?fieldManager=kubectl", Apply, WebV1);

        var response = await _api.PatchAsync(Paths.Deployment("web") + "?fieldManager=canary", Apply, WebV1);

        response.Status.Should().Be(HttpStatusCode.OK);
        response.Node("metadata.managedFields")!.AsArray().Select(e => Objects.Str(e, "manager")).Should().Equal("kubectl", "canary");
    }

    [Fact]
    public async Task Apply_FieldNoLongerSent_IsRemovedWhenNobodyElseOwnsIt()
    {
        await _api.PatchAsync(Paths.Deployment("web") + "?fieldManager=canary", Apply, WebV1.Replace("  labels:\n    app: web\n", "  labels:\n    app: web\n    temp: x\n"));

        var response = await _api.PatchAsync(Paths.Deployment("web") + "?fieldManager=canary", Apply, WebV1);

        response.Status.Should().Be(HttpStatusCode.OK);
        response.Node("metadata.labels.temp").Should().BeNull();
        response.Str("metadata.labels.app").Should().Be("web");
    }

    [Fact]
    public async Task Apply_ContainersList_MergesByNameWithOtherManagersItems()
    {
        await _api.PatchAsync(Paths.Deployment("web") + "?fieldManager=canary", Apply, WebV1);
        await _api.PatchAsync(Paths.Deployment("web") + "?fieldManager=injector", "application/strategic-merge-patch+json",
            """{"spec":{"template":{"spec":{"containers":[{"name":"sidecar","image":"envoy"}]}}}}""");

        var response = await _api.PatchAsync(Paths.Deployment("web") + "?fieldManager=canary", Apply, WebV1.Replace("podinfo:1.0", "podinfo:2.0"));

        var containers = response.Node("spec.template.spec.containers")!.AsArray();
        containers.Select(c => Objects.Str(c, "name")).Should().Equal("app", "sidecar");
        Objects.Str(containers[0], "image").Should().Be("podinfo:2.0");
    }

    [Fact]
    public async Task Apply_JsonBody_IsAccepted()
    {
        var body = Objects.ConfigMap("cm").ToJsonString();

        var response = await _api.PatchAsync(Paths.ConfigMap("cm") + "?fieldManager=canary", Apply, body);

        response.Status.Should().Be(HttpStatusCode.Created);
        response.Str("data.key").Should().Be("value");
    }

    [Fact]
    public async Task Apply_WithoutKind_Returns400()
    {
        var response = await _api.PatchAsync(Paths.ConfigMap("cm") + "?fieldManager=canary", Apply, "apiVersion: v1\nmetadata:\n  name: cm\n");

        response.Status.Should().Be(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Apply_StatusSubresource_OwnsOnlyStatus()
    {
        await _api.PatchAsync(Paths.Deployment("web") + "?fieldManager=canary", Apply, WebV1);

        var response = await _api.PatchAsync(Paths.Deployment("web") + "/status?fieldManager=controller", Apply,
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 9\nstatus:\n  readyReplicas: 3\n");

        response.Status.Should().Be(HttpStatusCode.OK);
        response.Long("status.readyReplicas").Should().Be(3);
        response.Long("spec.replicas").Should().Be(3);
        var entry = response.Node("metadata.managedFields")!.AsArray().Single(e => Objects.Str(e, "manager") == "controller");
        Objects.Str(entry, "subresource").Should().Be("status");
    }
}
