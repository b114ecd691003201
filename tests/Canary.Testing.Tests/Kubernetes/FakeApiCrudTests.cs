using System.Net;
using System.Text.Json.Nodes;

namespace Canary.Testing.Tests.Kubernetes;

public sealed class FakeApiCrudTests : IAsyncLifetime
{
    private ApiHarness _api = null!;

    public async Task InitializeAsync()
    {
        _api = await ApiHarness.StartAsync();
        _api.Server.RegisterCustomResource("example.com", "v1", "widgets", "Widget", namespaced: true, hasStatusSubresource: true);
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task Create_NewObject_Returns201WithServerSetMetadata()
    {
        var response = await _api.PostAsync(Paths.Deployments(), Objects.Deployment("web"));

        response.Status.Should().Be(HttpStatusCode.Created);
        response.Str("kind").Should().Be("Deployment");
        response.Str("apiVersion").Should().Be("apps/v1");
        response.Str("metadata.namespace").Should().Be("default");
        Guid.TryParse(response.Str("metadata.uid"), out _).Should().BeTrue();
        response.Str("metadata.resourceVersion").Should().NotBeNullOrEmpty();
        response.Str("metadata.creationTimestamp").Should().Be("2025-03-01T12:00:00Z");
        response.Long("metadata.generation").Should().Be(1);
    }

    [Fact]
    public async Task Create_UnknownFields_KeepsEveryFieldTheClientSent()
    {
        var body = Objects.ConfigMap("extra");
        body["x-custom"] = new JsonObject { ["nested"] = new JsonArray(1, 2.5, "three") };

        var created = await _api.CreateAsync(Paths.ConfigMaps(), body);
        var read = await _api.GetAsync(Paths.ConfigMap("extra"));

        created["x-custom"]!.ToJsonString().Should().Be("""{"nested":[1,2.5,"three"]}""");
        read.Node("x-custom")!.ToJsonString().Should().Be("""{"nested":[1,2.5,"three"]}""");
    }

    [Fact]
    public async Task Create_EveryWrite_UsesOneGrowingResourceVersionCounter()
    {
        var first = await _api.CreateAsync(Paths.ConfigMaps(), Objects.ConfigMap("a"));
        var second = await _api.CreateAsync(Paths.Deployments(), Objects.Deployment("b"));
        var list = await _api.GetAsync(Paths.ConfigMaps());

        var firstVersion = long.Parse(Objects.Str(first, "metadata.resourceVersion")!);
        var secondVersion = long.Parse(Objects.Str(second, "metadata.resourceVersion")!);
        secondVersion.Should().BeGreaterThan(firstVersion);
        long.Parse(list.Str("metadata.resourceVersion")!).Should().BeGreaterThanOrEqualTo(secondVersion);
    }

    [Fact]
    public async Task Create_ExistingName_Returns409AlreadyExistsStatus()
    {
        await _api.CreateAsync(Paths.Deployments(), Objects.Deployment("web"));

        var response = await _api.PostAsync(Paths.Deployments(), Objects.Deployment("web"));

        response.Status.Should().Be(HttpStatusCode.Conflict);
        Objects.Json(response.Body).Should().Be(
            """{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"deployments.apps \"web\" already exists","reason":"AlreadyExists","details":{"name":"web","group":"apps","kind":"deployments"},"code":409}""");
    }

    [Fact]
    public async Task Create_MissingNamespace_Returns404ForTheNamespace()
    {
        var response = await _api.PostAsync(Paths.ConfigMaps("nowhere"), Objects.ConfigMap("cm"));

        response.Status.Should().Be(HttpStatusCode.NotFound);
        response.Str("message").Should().Be("namespaces \"nowhere\" not found");
        response.Str("details.kind").Should().Be("namespaces");
    }

    [Fact]
    public async Task Create_WithResourceVersion_IsRejected()
    {
        var body = Objects.ConfigMap("cm");
        body["metadata"]!["resourceVersion"] = "42";

        var response = await _api.PostAsync(Paths.ConfigMaps(), body);

        response.Status.Should().Be(HttpStatusCode.InternalServerError);
        response.Str("message").Should().Be("resourceVersion should not be set on objects to be created");
    }

    [Fact]
    public async Task Create_InvalidName_Returns422WithFieldCause()
    {
        var response = await _api.PostAsync(Paths.ConfigMaps(), Objects.ConfigMap("Not_Valid"));

        response.Status.Should().Be(HttpStatusCode.UnprocessableEntity);
        response.Str("reason").Should().Be("Invalid");
        response.Str("message").Should().StartWith("ConfigMap \"Not_Valid\" is invalid: metadata.name: Invalid value: \"Not_Valid\": a lowercase RFC 1123 subdomain");
        response.Str("details.kind").Should().Be("ConfigMap");
        response.Str("details.causes.0.reason").Should().Be("FieldValueInvalid");
        response.Str("details.causes.0.field").Should().Be("metadata.name");
    }

    [Fact]
    public async Task Create_NoNameButGenerateName_GeneratesASuffix()
    {
        var body = Objects.ConfigMap("ignored");
        body["metadata"] = new JsonObject { ["generateName"] = "canary-" };

        var created = await _api.CreateAsync(Paths.ConfigMaps(), body);

        Objects.Str(created, "metadata.name").Should().MatchRegex("^canary-[bcdfghjklmnpqrstvwxz2456789]{5}$");
    }

    [Fact]
    public async Task Create_NonStringAnnotation_Returns400CannotBeHandled()
    {
        var body = Objects.Deployment("web");
        body["metadata"]!["annotations"] = new JsonObject { ["replicas"] = 3 };

        var response = await _api.PostAsync(Paths.Deployments(), body);

        response.Status.Should().Be(HttpStatusCode.BadRequest);
        response.Str("reason").Should().Be("BadRequest");
        response.Str("message").Should().StartWith("Deployment in version \"v1\" cannot be handled as a Deployment:");
    }

    [Fact]
    public async Task Get_MissingObjectInNamedGroup_Returns404StatusWithPluralKind()
    {
        var response = await _api.GetAsync(Paths.Deployment("podinfo"));

        response.Status.Should().Be(HttpStatusCode.NotFound);
        Objects.Json(response.Body).Should().Be(
            """{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"deployments.apps \"podinfo\" not found","reason":"NotFound","details":{"name":"podinfo","group":"apps","kind":"deployments"},"code":404}""");
    }

    [Fact]
    public async Task Get_MissingObjectInCoreGroup_HasNoGroupInMessageOrDetails()
    {
        var response = await _api.GetAsync("/api/v1/namespaces/default/services/web");

        response.Str("message").Should().Be("services \"web\" not found");
        Objects.Json(response.Node("details")).Should().Be("""{"name":"web","kind":"services"}""");
    }

    [Fact]
    public async Task Get_UnknownResource_Returns404()
    {
        var response = await _api.GetAsync("/apis/apps/v1/namespaces/default/widgets");

        response.Status.Should().Be(HttpStatusCode.NotFound);
        response.Str("reason").Should().Be("NotFound");
    }

    [Fact]
    public async Task Put_CurrentResourceVersion_ReplacesAndBumpsResourceVersion()
    {
        var created = await _api.CreateAsync(Paths.ConfigMaps(), Objects.ConfigMap("cm"));
        created["data"] = new JsonObject { ["key"] = "changed" };

        var response = await _api.PutAsync(Paths.ConfigMap("cm"), created);

        response.Status.Should().Be(HttpStatusCode.OK);
        response.Str("data.key").Should().Be("changed");
        response.Str("metadata.resourceVersion").Should().NotBe(Objects.Str(created, "metadata.resourceVersion"));
        response.Str("metadata.uid").Should().Be(Objects.Str(created, "metadata.uid"));
    }

    [Fact]
    public async Task Put_StaleResourceVersion_Returns409ConflictStatus()
    {
        await _api.CreateAsync(Paths.Deployments(), Objects.Deployment("web"));
        var created = (await _api.GetAsync(Paths.Deployment("web"))).Body;
        var stale = created.DeepClone().AsObject();
        created["spec"]!["replicas"] = 5;
        (await _api.PutAsync(Paths.Deployment("web"), created)).Status.Should().Be(HttpStatusCode.OK);
        stale["spec"]!["replicas"] = 7;

        var response = await _api.PutAsync(Paths.Deployment("web"), stale);

        response.Status.Should().Be(HttpStatusCode.Conflict);
        response.Str("reason").Should().Be("Conflict");
        response.Str("message").Should().Be("Operation cannot be fulfilled on deployments.apps \"web\": the object has been modified; please apply your changes to the latest version and try again");
        Objects.Json(response.Node("details")).Should().Be("""{"name":"web","group":"apps","kind":"deployments"}""");
    }

    [Fact]
    public async Task Put_DeploymentWithoutResourceVersion_IsUnconditional()
    {
        await _api.CreateAsync(Paths.Deployments(), Objects.Deployment("web"));

        var response = await _api.PutAsync(Paths.Deployment("web"), Objects.Deployment("web", replicas: 4));

        response.Status.Should().Be(HttpStatusCode.OK);
        response.Long("spec.replicas").Should().Be(4);
    }

    [Fact]
    public async Task Put_LeaseWithoutResourceVersion_Returns422()
    {
        await _api.CreateAsync(Paths.Leases(), Objects.Lease("leader", "a"));

        var response = await _api.PutAsync(Paths.Leases() + "/leader", Objects.Lease("leader", "b"));

        response.Status.Should().Be(HttpStatusCode.UnprocessableEntity);
        response.Str("message").Should().Be("Lease.coordination.k8s.io \"leader\" is invalid: metadata.resourceVersion: Invalid value: 0x0: must be specified for an update");
        response.Str("details.causes.0.field").Should().Be("metadata.resourceVersion");
    }

    [Fact]
    public async Task Put_CustomResourceWithoutResourceVersion_Returns422()
    {
        await _api.CreateAsync(Paths.Widgets(), Objects.Widget("w"));

        var response = await _api.PutAsync(Paths.Widget("w"), Objects.Widget("w", "large"));

        response.Status.Should().Be(HttpStatusCode.UnprocessableEntity);
        response.Str("message").Should().Be("Widget.example.com \"w\" is invalid: metadata.resourceVersion: Invalid value: 0x0: must be specified for an update");
    }

    [Fact]
    public async Task Put_MissingLease_CreatesItWith201()
    {
        var response = await _api.PutAsync(Paths.Leases() + "/leader", Objects.Lease("leader", "me"));

        response.Status.Should().Be(HttpStatusCode.Created);
        response.Str("spec.holderIdentity").Should().Be("me");
    }

    [Fact]
    public async Task Put_MissingConfigMap_Returns404()
    {
        var response = await _api.PutAsync(Paths.ConfigMap("cm"), Objects.ConfigMap("cm"));

        response.Status.Should().Be(HttpStatusCode.NotFound);
        response.Str("message").Should().Be("configmaps \"cm\" not found");
    }

    [Fact]
    public async Task Put_NameDiffersFromUrl_Returns400()
    {
        await _api.CreateAsync(Paths.ConfigMaps(), Objects.ConfigMap("cm"));

        var response = await _api.PutAsync(Paths.ConfigMap("cm"), Objects.ConfigMap("other"));

        response.Status.Should().Be(HttpStatusCode.BadRequest);
        response.Str("message").Should().Be("the name of the object (other) does not match the name on the URL (cm)");
    }

    [Fact]
    public async Task Put_UnchangedObject_KeepsResourceVersion()
    {
        var created = await _api.CreateAsync(Paths.ConfigMaps(), Objects.ConfigMap("cm"));

        var response = await _api.PutAsync(Paths.ConfigMap("cm"), created);

        response.Str("metadata.resourceVersion").Should().Be(Objects.Str(created, "metadata.resourceVersion"));
    }

    [Fact]
    public async Task Delete_ConfigMap_Returns200SuccessStatusAndRemovesIt()
    {
        var created = await _api.CreateAsync(Paths.ConfigMaps(), Objects.ConfigMap("cm"));

        var response = await _api.DeleteAsync(Paths.ConfigMap("cm"));

        response.Status.Should().Be(HttpStatusCode.OK);
        response.Str("kind").Should().Be("Status");
        response.Str("status").Should().Be("Success");
        Objects.Json(response.Node("details")).Should().Be($$"""{"name":"cm","kind":"configmaps","uid":"{{Objects.Str(created, "metadata.uid")}}"}""");
        (await _api.GetAsync(Paths.ConfigMap("cm"))).Status.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Delete_Pod_ReturnsTheDeletedObject()
    {
        var pod = new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "p" },
            ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "c", ["image"] = "busybox" }) },
        };
        await _api.CreateAsync(Paths.Pods(), pod);

        var response = await _api.DeleteAsync(Paths.Pods() + "/p");

        response.Status.Should().Be(HttpStatusCode.OK);
        response.Str("kind").Should().Be("Pod");
        response.Str("metadata.name").Should().Be("p");
    }

    [Fact]
    public async Task Delete_MissingObject_Returns404()
    {
        var response = await _api.DeleteAsync(Paths.Deployment("gone"));

        response.Status.Should().Be(HttpStatusCode.NotFound);
        response.Str("message").Should().Be("deployments.apps \"gone\" not found");
    }

    [Fact]
    public async Task Delete_StaleResourceVersionPrecondition_Returns409()
    {
        await _api.CreateAsync(Paths.ConfigMaps(), Objects.ConfigMap("cm"));
        var options = new JsonObject { ["kind"] = "DeleteOptions", ["apiVersion"] = "v1", ["preconditions"] = new JsonObject { ["resourceVersion"] = "1" } };

        var response = await _api.DeleteAsync(Paths.ConfigMap("cm"), options);

        response.Status.Should().Be(HttpStatusCode.Conflict);
        response.Str("message").Should().StartWith("Operation cannot be fulfilled on configmaps \"cm\": Precondition failed: ResourceVersion in precondition: 1");
    }

    [Fact]
    public async Task Delete_ObjectWithFinalizer_MarksItUntilTheFinalizerIsRemoved()
    {
        var body = Objects.ConfigMap("cm");
        body["metadata"]!["finalizers"] = new JsonArray("example.com/hold");
        await _api.CreateAsync(Paths.ConfigMaps(), body);

        var deleting = await _api.DeleteAsync(Paths.ConfigMap("cm"));
        var stillThere = await _api.GetAsync(Paths.ConfigMap("cm"));
        await _api.PatchAsync(Paths.ConfigMap("cm"), "application/merge-patch+json", """{"metadata":{"finalizers":null}}""");
        var afterFinalizer = await _api.GetAsync(Paths.ConfigMap("cm"));

        deleting.Status.Should().Be(HttpStatusCode.OK);
        stillThere.Str("metadata.deletionTimestamp").Should().NotBeNull();
        afterFinalizer.Status.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Post_OnAnItemPath_Returns405()
    {
        var response = await _api.PostAsync(Paths.ConfigMap("cm"), Objects.ConfigMap("cm"));

        response.Status.Should().Be(HttpStatusCode.MethodNotAllowed);
        response.Str("reason").Should().Be("MethodNotAllowed");
    }

    [Fact]
    public async Task Create_ClusterScopedNamespace_ThenObjectsCanBeCreatedInIt()
    {
        var ns = await _api.CreateAsync("/api/v1/namespaces", new JsonObject { ["metadata"] = new JsonObject { ["name"] = "prod" } });

        var created = await _api.PostAsync(Paths.ConfigMaps("prod"), Objects.ConfigMap("cm"));

        Objects.Str(ns, "status.phase").Should().Be("Active");
        Objects.Str(ns, "metadata.namespace").Should().BeNull();
        created.Status.Should().Be(HttpStatusCode.Created);
    }
}
