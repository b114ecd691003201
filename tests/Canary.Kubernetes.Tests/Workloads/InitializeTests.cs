using System.Text.Json.Nodes;
using Canary.Kubernetes.Client;
using Canary.Kubernetes.Tests.TestSupport;
using Canary.Kubernetes.Workloads;
using Canary.Testing.Kubernetes;
using ManualClock = Canary.Testing.Time.ManualTimeProvider;

namespace Canary.Kubernetes.Tests.Workloads;

public sealed class InitializeTests
{
    private static readonly JsonObject ManagedLabels = new()
    {
        [CanaryLabels.ManagedBy] = CanaryLabels.ManagedByValue,
        [CanaryLabels.CanaryName] = TestObjects.Name,
    };

    [Fact]
    public async Task InitializeAsync_NewTarget_CreatesPrimaryWithSuffixedSelectorAtTheTargetsScale()
    {
        await using var cluster = await FakeCluster.StartAsync();
        cluster.Seed(TestObjects.Deployment(replicas: 3));
        var (controller, _, _) = cluster.Controller();

        var ready = await controller.InitializeAsync(TestObjects.Canary(), default);

        ready.Should().BeTrue();
        var primary = cluster.Deployment("podinfo-primary")!;
        primary["spec"]!["replicas"]!.GetValue<int>().Should().Be(3);
        Json.Of(primary["spec"]!["selector"]!["matchLabels"]).Should().Be(Json.Of(new JsonObject { ["app"] = "podinfo-primary" }));
        Json.Of(primary["spec"]!["template"]!["metadata"]!["labels"]).Should().Be(Json.Of(new JsonObject { ["app"] = "podinfo-primary" }));
        Json.Of(primary["metadata"]!["labels"]).Should().Be(Json.Of(new JsonObject { ["app"] = "podinfo-primary", ["team"] = "web", [CanaryLabels.ManagedBy] = "canary", [CanaryLabels.CanaryName] = "podinfo" }));
        TestObjects.Image(primary).Should().Be(TestObjects.Image(cluster.Deployment("podinfo")));
    }

    [Fact]
    public async Task InitializeAsync_CanaryObjectExists_OwnsEveryGeneratedObject()
    {
        await using var cluster = await FakeCluster.StartAsync();
        cluster.Seed(TestObjects.Deployment());
        var canaryObject = cluster.Seed(TestObjects.CanaryObject());
        var (controller, _, _) = cluster.Controller();

        await controller.InitializeAsync(TestObjects.Canary(), default);

        var owner = new JsonArray(new JsonObject
        {
            ["apiVersion"] = "canary.dev/v1",
            ["kind"] = "Canary",
            ["name"] = "podinfo",
            ["uid"] = KubernetesObject.GetUid(canaryObject),
            ["controller"] = true,
            ["blockOwnerDeletion"] = true,
        });
        foreach (var generated in new[] { cluster.Deployment("podinfo-primary"), cluster.Service("podinfo"), cluster.Service("podinfo-primary"), cluster.Service("podinfo-canary") })
        {
            Json.Of(generated!["metadata"]!["ownerReferences"]).Should().Be(Json.Of(owner));
        }

        cluster.Deployment("podinfo")!["metadata"]!["ownerReferences"].Should().BeNull("the user's Deployment is never owned by the canary");
    }

    [Fact]
    public async Task InitializeAsync_NoCanaryObject_CreatesObjectsWithoutOwnerReference()
    {
        await using var cluster = await FakeCluster.StartAsync();
        cluster.Seed(TestObjects.Deployment());
        var (controller, _, _) = cluster.Controller();

        await controller.InitializeAsync(TestObjects.Canary(), default);

        cluster.Deployment("podinfo-primary")!["metadata"]!["ownerReferences"].Should().BeNull();
    }

    [Fact]
    public async Task InitializeAsync_NewTarget_CreatesTheThreeServicesWithExactSelectorsLabelsAndPorts()
    {
        await using var cluster = await FakeCluster.StartAsync();
        cluster.Seed(TestObjects.Deployment());
        var (controller, _, _) = cluster.Controller();

        await controller.InitializeAsync(TestObjects.Canary(), default);

        var ports = new JsonArray(new JsonObject { ["name"] = "http", ["port"] = 80, ["targetPort"] = 9898, ["protocol"] = "TCP" });
        foreach (var (name, selects) in new[] { ("podinfo", "podinfo-primary"), ("podinfo-primary", "podinfo-primary"), ("podinfo-canary", "podinfo") })
        {
            var service = cluster.Service(name)!;
            Json.Of(service["spec"]!["selector"]).Should().Be(Json.Of(new JsonObject { ["app"] = selects }), $"{name} selects {selects}");
            Json.Of(service["spec"]!["ports"]).Should().Be(Json.Of(ports));
            Json.Of(service["metadata"]!["labels"]).Should().Be(Json.Of(ManagedLabels));
        }
    }

    [Fact]
    public async Task InitializeAsync_ServiceNameInSpec_NamesTheServicesAfterIt()
    {
        await using var cluster = await FakeCluster.StartAsync();
        cluster.Seed(TestObjects.Deployment());
        var (controller, _, _) = cluster.Controller();

        await controller.InitializeAsync(TestObjects.Canary(serviceName: "web"), default);

        cluster.Service("web")!["spec"]!["selector"]!["app"]!.GetValue<string>().Should().Be("podinfo-primary");
        cluster.Service("web-canary").Should().NotBeNull();
        cluster.Service("web-primary").Should().NotBeNull();
        cluster.Service("podinfo").Should().BeNull();
    }

    [Fact]
    public async Task InitializeAsync_PrimaryNotReadyYet_ReturnsFalseAndLeavesTargetAndApexAlone()
    {
        var clock = new ManualClock();
        await using var cluster = await FakeCluster.StartAsync(clock);
        cluster.Server.DeploymentController.Configure("*-primary", DeploymentBehavior.ReadyAfter(TimeSpan.FromSeconds(30)));
        cluster.Seed(TestObjects.Deployment());
        cluster.Seed(TestObjects.UserService("podinfo", "podinfo"));
        var (controller, _, _) = cluster.Controller(clock);

        var ready = await controller.InitializeAsync(TestObjects.Canary(), default);

        ready.Should().BeFalse();
        TestObjects.Replicas(cluster.Deployment("podinfo")).Should().Be(2);
        cluster.Service("podinfo")!["spec"]!["selector"]!["app"]!.GetValue<string>().Should().Be("podinfo");
    }

    [Fact]
    public async Task InitializeAsync_PrimaryBecomesReady_PointsApexAtPrimaryAndScalesTargetToZero()
    {
        var clock = new ManualClock();
        await using var cluster = await FakeCluster.StartAsync(clock);
        cluster.Server.DeploymentController.Configure("*-primary", DeploymentBehavior.ReadyAfter(TimeSpan.FromSeconds(30)));
        cluster.Seed(TestObjects.Deployment());
        var (controller, cache, _) = cluster.Controller(clock);
        await controller.InitializeAsync(TestObjects.Canary(), default);

        clock.Advance(TimeSpan.FromSeconds(30));
        cache.Invalidate(ResourceType.Deployments, FakeCluster.Namespace, "podinfo-primary");
        var ready = await controller.InitializeAsync(TestObjects.Canary(), default);

        ready.Should().BeTrue();
        TestObjects.Replicas(cluster.Deployment("podinfo")).Should().Be(0);
        cluster.Service("podinfo")!["spec"]!["selector"]!["app"]!.GetValue<string>().Should().Be("podinfo-primary");
    }

    [Fact]
    public async Task InitializeAsync_AdoptingAServedDeployment_NeverLeavesTheApexServiceWithoutReadyPods()
    {
        var clock = new ManualClock();
        await using var cluster = await FakeCluster.StartAsync(clock);
        cluster.Server.DeploymentController.Configure("*-primary", DeploymentBehavior.ReadyAfter(TimeSpan.FromSeconds(30)));
        var start = cluster.Server.CurrentResourceVersion;
        cluster.Seed(TestObjects.Deployment(replicas: 2));
        cluster.Seed(TestObjects.UserService("podinfo", "podinfo"));
        var (controller, cache, client) = cluster.Controller(clock);

        for (var i = 0; i < 10 && !await controller.InitializeAsync(TestObjects.Canary(), default); i++)
        {
            clock.Advance(TimeSpan.FromSeconds(10));

            // The pods' progress is no write of the controller's: have it read the primary afresh rather than wait for its informer.
            cache.Invalidate(ResourceType.Deployments, FakeCluster.Namespace, "podinfo-primary");
        }

        var history = await WatchHistory.ReadAsync(cluster.Server, client, start, ResourceType.Deployments, ResourceType.Services);
        var readyBehindApex = WatchHistory.States(history)
            .Where(state => state.ContainsKey(("Service", "podinfo")))
            .Select(state => ReadyPodsSelectedBy(state, state[("Service", "podinfo")]))
            .ToList();
        readyBehindApex.Should().NotBeEmpty().And.OnlyContain(ready => ready > 0, "every state of the cluster keeps ready pods behind the apex Service");
        readyBehindApex.Last().Should().Be(2);
        TestObjects.Replicas(cluster.Deployment("podinfo")).Should().Be(0, "the target was scaled down in the end");
        history.Any(e => e.Resource == ResourceType.Deployments && KubernetesObject.GetName(e.Event.Object) == "podinfo"
            && TestObjects.Replicas(e.Event.Object) == 0 && e.Event.Object["status"]?["observedGeneration"] != null && e.Event.Object["status"]?["readyReplicas"] == null)
            .Should().BeTrue("the target's pods did go away, so the states checked include that moment");
    }

    [Fact]
    public async Task InitializeAsync_UserOwnedApexService_ChangesOnlyItsSelector()
    {
        await using var cluster = await FakeCluster.StartAsync();
        cluster.Seed(TestObjects.Deployment());
        cluster.Seed(TestObjects.UserService("podinfo", "podinfo"));
        cluster.Seed(TestObjects.CanaryObject());
        var (controller, _, _) = cluster.Controller();

        await controller.InitializeAsync(TestObjects.Canary(), default);

        var apex = cluster.Service("podinfo")!;
        Json.Of(apex["spec"]!["selector"]).Should().Be(Json.Of(new JsonObject { ["app"] = "podinfo-primary" }));
        apex["spec"]!["ports"]![0]!["port"]!.GetValue<int>().Should().Be(8080);
        Json.Of(apex["metadata"]!["labels"]).Should().Be(Json.Of(new JsonObject { ["owner"] = "user" }));
        apex["metadata"]!["ownerReferences"].Should().BeNull();
    }

    [Fact]
    public async Task InitializeAsync_ConfigReferenced_CopiesConfigAsPrimaryAndRenamesTheReferences()
    {
        await using var cluster = await FakeCluster.StartAsync();
        cluster.Seed(TestObjects.Deployment(configMap: "podinfo-config", secret: "podinfo-secret"));
        cluster.Seed(TestObjects.ConfigMap("podinfo-config", ("color", "blue")));
        cluster.Seed(TestObjects.Secret("podinfo-secret", ("token", "s3cret")));
        var (controller, _, _) = cluster.Controller();

        await controller.InitializeAsync(TestObjects.Canary(), default);

        var configCopy = cluster.Get("v1", "ConfigMap", "podinfo-config-primary")!;
        Json.Of(configCopy["data"]).Should().Be(Json.Of(new JsonObject { ["color"] = "blue" }));
        Json.Of(configCopy["metadata"]!["labels"]).Should().Be(Json.Of(ManagedLabels));
        var secretCopy = cluster.Get("v1", "Secret", "podinfo-secret-primary")!;
        Json.Of(secretCopy["data"]).Should().Be(Json.Of(cluster.Get("v1", "Secret", "podinfo-secret")!["data"]));
        secretCopy["type"]!.GetValue<string>().Should().Be("Opaque");
        var pod = cluster.Deployment("podinfo-primary")!["spec"]!["template"]!["spec"]!;
        pod["containers"]![0]!["envFrom"]![0]!["configMapRef"]!["name"]!.GetValue<string>().Should().Be("podinfo-config-primary");
        pod["volumes"]![0]!["secret"]!["secretName"]!.GetValue<string>().Should().Be("podinfo-secret-primary");
        cluster.Deployment("podinfo")!["spec"]!["template"]!["spec"]!["volumes"]![0]!["secret"]!["secretName"]!.GetValue<string>()
            .Should().Be("podinfo-secret", "the target keeps its own references");
    }

    [Fact]
    public async Task InitializeAsync_AutoscalerRef_CreatesPrimaryAutoscalerThatScalesThePrimary()
    {
        await using var cluster = await FakeCluster.StartAsync();
        cluster.Seed(TestObjects.Deployment());
        cluster.Seed(TestObjects.Autoscaler("podinfo", min: 2, max: 4));
        var (controller, _, _) = cluster.Controller();
        var canary = TestObjects.Canary(autoscaler: new("autoscaling/v2", "HorizontalPodAutoscaler", "podinfo") { PrimaryMaxReplicas = 10 });

        await controller.InitializeAsync(canary, default);

        var primary = cluster.Get("autoscaling/v2", "HorizontalPodAutoscaler", "podinfo-primary")!;
        Json.Of(primary["spec"]!["scaleTargetRef"]).Should().Be(Json.Of(new JsonObject { ["apiVersion"] = "apps/v1", ["kind"] = "Deployment", ["name"] = "podinfo-primary" }));
        primary["spec"]!["minReplicas"]!.GetValue<int>().Should().Be(2);
        primary["spec"]!["maxReplicas"]!.GetValue<int>().Should().Be(10);
        Json.Of(primary["spec"]!["metrics"]).Should().Be(Json.Of(cluster.Get("autoscaling/v2", "HorizontalPodAutoscaler", "podinfo")!["spec"]!["metrics"]));
        Json.Of(primary["metadata"]!["labels"]).Should().Be(Json.Of(ManagedLabels));
    }

    [Fact]
    public async Task InitializeAsync_CalledAgainOnceDone_WritesNothing()
    {
        await using var cluster = await FakeCluster.StartAsync();
        cluster.Seed(TestObjects.Deployment(configMap: "podinfo-config"));
        cluster.Seed(TestObjects.ConfigMap("podinfo-config", ("color", "blue")));
        var (controller, _, _) = cluster.Controller();
        await controller.InitializeAsync(TestObjects.Canary(), default);
        var mark = cluster.Server.Requests.Count;

        var ready = await controller.InitializeAsync(TestObjects.Canary(), default);

        ready.Should().BeTrue();
        cluster.RequestsSince(mark).Where(FakeCluster.IsWrite).Select(r => $"{r.Method} {r.Path}").Should().BeEmpty();
    }

    [Fact]
    public async Task InitializeAsync_TargetMissing_ThrowsNamingTargetRef()
    {
        await using var cluster = await FakeCluster.StartAsync();
        var (controller, _, _) = cluster.Controller();

        var act = async () => await controller.InitializeAsync(TestObjects.Canary(), default);

        await act.Should().ThrowAsync<InvalidOperationException>().WithMessage("spec.targetRef of canary podinfo.test: Deployment test/podinfo not found.");
    }

    [Fact]
    public async Task InitializeAsync_TargetWithoutSelectorLabel_ThrowsNamingTheLabels()
    {
        await using var cluster = await FakeCluster.StartAsync();
        var target = TestObjects.Deployment();
        target["spec"]!["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["tier"] = "web" } };
        cluster.Seed(target);
        var (controller, _, _) = cluster.Controller();

        var act = async () => await controller.InitializeAsync(TestObjects.Canary(), default);

        await act.Should().ThrowAsync<InvalidOperationException>().WithMessage("*spec.selector.matchLabels has none of the selector labels (app, name, app.kubernetes.io/name)*");
    }

    private static long ReadyPodsSelectedBy(IReadOnlyDictionary<(string Kind, string Name), JsonObject> state, JsonObject service)
    {
        var selector = service["spec"]!["selector"]!.AsObject().ToDictionary(p => p.Key, p => p.Value!.GetValue<string>());
        return state.Where(e => e.Key.Kind == "Deployment")
            .Select(e => e.Value)
            .Where(d => selector.All(s => d["spec"]?["template"]?["metadata"]?["labels"]?[s.Key]?.GetValue<string>() == s.Value))
            .Sum(d => (long?)d["status"]?["readyReplicas"]?.GetValue<long>() ?? 0);
    }
}
