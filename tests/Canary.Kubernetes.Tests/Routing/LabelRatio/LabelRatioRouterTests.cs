using System.Globalization;
using System.Text.Json.Nodes;
using Canary.Kubernetes.Client;
using Canary.Kubernetes.Routing;
using Canary.Kubernetes.Routing.LabelRatio;
using Canary.Model;
using Canary.Routing;
using Microsoft.Extensions.Options;

namespace Canary.Kubernetes.Tests.Routing.LabelRatio;

public sealed class LabelRatioRouterTests : IAsyncLifetime
{
    private const string Deployments = "/apis/apps/v1/namespaces/test/deployments";
    private const string Label = "canary.dev/traffic";
    private RoutingCluster _cluster = null!;

    public async Task InitializeAsync()
    {
        _cluster = await RoutingCluster.StartAsync();
        _cluster.SeedWorkloads(primaryReplicas: 10);
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task ReconcileAsync_NoApexService_LabelsTemplatesAndCreatesServiceOnLabel()
    {
        await Router().ReconcileAsync(Canary(), default);

        _cluster.Writes().Should().Equal(
            $"PATCH {Deployments}/podinfo-primary",
            $"PATCH {Deployments}/podinfo",
            "POST /api/v1/namespaces/test/services");
        TemplateLabels("podinfo-primary").ShouldEqualJson($$"""{"app":"podinfo-primary","{{Label}}":"podinfo"}""");
        TemplateLabels("podinfo").ShouldEqualJson($$"""{"app":"podinfo","{{Label}}":"podinfo"}""");
        var service = _cluster.Require("v1", "Service", "podinfo");
        service["metadata"]!["labels"].ShouldEqualJson("""{"app.kubernetes.io/managed-by":"canary"}""");
        service["metadata"]!["ownerReferences"]![0]!["uid"]!.GetValue<string>().Should().Be(RoutingCluster.TargetUid);
        service["spec"]!["selector"].ShouldEqualJson($$"""{"{{Label}}":"podinfo"}""");
        service["spec"]!["ports"].ShouldEqualJson("""[{"name":"http","protocol":"TCP","port":9898,"targetPort":9898}]""");
    }

    [Fact]
    public async Task ReconcileAsync_Repeated_WritesNothing()
    {
        await Router().ReconcileAsync(Canary(), default);
        _cluster.ClearRequests();

        await Router().ReconcileAsync(Canary(), default);

        _cluster.Writes().Should().BeEmpty();
    }

    [Fact]
    public async Task ReconcileAsync_ApexServingOldPods_SwitchesSelectorOnlyOncePrimaryRolledOutLabel()
    {
        _cluster.SeedService("podinfo", new Dictionary<string, string> { ["app"] = "podinfo-primary" });
        var router = Router();

        await router.ReconcileAsync(Canary(), default);
        var before = Selector();
        Settle("podinfo-primary");
        await router.ReconcileAsync(Canary(), default);

        before.ShouldEqualJson("""{"app":"podinfo-primary"}""");
        Selector().ShouldEqualJson($$"""{"{{Label}}":"podinfo"}""");
    }

    [Fact]
    public async Task SetRoutesAsync_ApexNotSwitchableYet_ThrowsTransientFailure()
    {
        _cluster.SeedService("podinfo", new Dictionary<string, string> { ["app"] = "podinfo-primary" });

        var act = async () => await Router().SetRoutesAsync(Canary(), TrafficRoutes.PrimaryOnly, default);

        var failure = (await act.Should().ThrowAsync<TrafficRouterException>()).Which;
        failure.IsTransient.Should().BeTrue();
        failure.Message.Should().Be(
            "Service \"podinfo\" in namespace \"test\" selects its old pods until Deployment \"podinfo-primary\" has rolled out pods labelled canary.dev/traffic=podinfo");
    }

    [Fact]
    public async Task SetRoutesAsync_TenPercentOfTen_ScalesNineToOne()
    {
        await PrepareAsync();

        var achieved = await Router().SetRoutesAsync(Canary(), TrafficRoutes.ForCanary(10), default);

        achieved.Should().Be(TrafficRoutes.ForCanary(10));
        _cluster.Writes().Should().Equal($"PATCH {Deployments}/podinfo-primary", $"PATCH {Deployments}/podinfo");
        Replicas("podinfo-primary").Should().Be(9);
        Replicas("podinfo").Should().Be(1);
        Annotations("podinfo-primary").ShouldEqualJson($$"""{"{{LabelRatioRouter.TotalReplicasAnnotation}}":"10"}""");
    }

    [Fact]
    public async Task SetRoutesAsync_WeightBetweenReplicas_RoundsDownAndReportsRealShare()
    {
        await PrepareAsync();

        var achieved = await Router().SetRoutesAsync(Canary(), TrafficRoutes.ForCanary(15), default);

        achieved.Should().Be(TrafficRoutes.ForCanary(10));
        Replicas("podinfo").Should().Be(1);
    }

    [Fact]
    public async Task SetRoutesAsync_SuccessiveWeights_ShareThePrimarysOriginalScale()
    {
        await PrepareAsync();
        var router = Router();

        await router.SetRoutesAsync(Canary(), TrafficRoutes.ForCanary(10), default);
        await router.SetRoutesAsync(Canary(), TrafficRoutes.ForCanary(30), default);
        var achieved = await router.SetRoutesAsync(Canary(), TrafficRoutes.ForCanary(50), default);

        achieved.Should().Be(TrafficRoutes.ForCanary(50));
        Replicas("podinfo-primary").Should().Be(5);
        Replicas("podinfo").Should().Be(5);
    }

    [Fact]
    public async Task SetRoutesAsync_Repeated_WritesNothing()
    {
        await PrepareAsync();
        var router = Router();
        await router.SetRoutesAsync(Canary(), TrafficRoutes.ForCanary(30), default);
        _cluster.ClearRequests();

        var achieved = await router.SetRoutesAsync(Canary(), TrafficRoutes.ForCanary(30), default);

        achieved.Should().Be(TrafficRoutes.ForCanary(30));
        _cluster.Writes().Should().BeEmpty();
    }

    [Fact]
    public async Task SetRoutesAsync_PrimaryOnlyAfterWeight_RestoresPrimaryScaleAndDropsAnnotation()
    {
        await PrepareAsync();
        var router = Router();
        await router.SetRoutesAsync(Canary(), TrafficRoutes.ForCanary(40), default);
        Settle("podinfo-primary");

        var achieved = await router.SetRoutesAsync(Canary(), TrafficRoutes.PrimaryOnly, default);

        achieved.Should().Be(TrafficRoutes.PrimaryOnly);
        Replicas("podinfo-primary").Should().Be(10);
        Replicas("podinfo").Should().Be(0);
        (Annotations("podinfo-primary") as JsonObject ?? []).ContainsKey(LabelRatioRouter.TotalReplicasAnnotation).Should().BeFalse();
    }

    [Fact]
    public async Task SetRoutesAsync_BackFromCanaryOnlyWhilePrimaryHasNoReadyPod_ScalesPrimaryFirstAndWaits()
    {
        await PrepareAsync();
        var router = Router();
        await router.SetRoutesAsync(Canary(), TrafficRoutes.CanaryOnly, default);
        Settle("podinfo-primary");
        Settle("podinfo");

        var act = async () => await router.SetRoutesAsync(Canary(), TrafficRoutes.PrimaryOnly, default);

        (await act.Should().ThrowAsync<TrafficRouterException>()).Which.IsTransient.Should().BeTrue();
        Replicas("podinfo-primary").Should().Be(10);
        Replicas("podinfo").Should().Be(10);

        Settle("podinfo-primary");
        (await router.SetRoutesAsync(Canary(), TrafficRoutes.PrimaryOnly, default)).Should().Be(TrafficRoutes.PrimaryOnly);
        Replicas("podinfo").Should().Be(0);
    }

    [Fact]
    public async Task ReconcileAsync_Isolated_LeavesCanaryOutOfTheService()
    {
        await Router(isolate: true).ReconcileAsync(Canary(), default);

        TemplateLabels("podinfo").ShouldEqualJson("""{"app":"podinfo"}""");
        TemplateLabels("podinfo-primary").ShouldEqualJson($$"""{"app":"podinfo-primary","{{Label}}":"podinfo"}""");
    }

    [Fact]
    public async Task SetRoutesAsync_Isolated_JoinsCanaryWithFirstWeightAndLeavesWithPrimaryOnly()
    {
        var router = Router(isolate: true);
        await router.ReconcileAsync(Canary(), default);

        await router.SetRoutesAsync(Canary(), TrafficRoutes.ForCanary(20), default);
        var joined = TemplateLabels("podinfo")!.DeepClone();
        Settle("podinfo-primary");
        await router.SetRoutesAsync(Canary(), TrafficRoutes.PrimaryOnly, default);

        joined.ShouldEqualJson($$"""{"app":"podinfo","{{Label}}":"podinfo"}""");
        TemplateLabels("podinfo").ShouldEqualJson("""{"app":"podinfo"}""");
    }

    [Fact]
    public async Task SetRoutesAsync_UsersFieldsOnSharedObjects_Survive()
    {
        _cluster.SeedService("podinfo", new Dictionary<string, string> { ["app"] = "podinfo-primary" });
        await _cluster.Api.PatchAsync(ResourceType.Services, RoutingCluster.Namespace, "podinfo", KubernetesPatch.Merge(JsonNode.Parse(
            """{"metadata":{"annotations":{"team":"web"}},"spec":{"sessionAffinity":"ClientIP"}}""")!.AsObject()));
        await _cluster.Api.PatchAsync(ResourceType.Deployments, RoutingCluster.Namespace, "podinfo", KubernetesPatch.Merge(JsonNode.Parse(
            """{"metadata":{"annotations":{"team":"web"}},"spec":{"template":{"metadata":{"labels":{"version":"2"}}}}}""")!.AsObject()));
        await PrepareAsync();

        await Router().SetRoutesAsync(Canary(), TrafficRoutes.ForCanary(20), default);

        var service = _cluster.Require("v1", "Service", "podinfo");
        service["metadata"]!["annotations"].ShouldEqualJson("""{"team":"web"}""");
        service["spec"]!["sessionAffinity"]!.GetValue<string>().Should().Be("ClientIP");
        service["spec"]!["selector"].ShouldEqualJson($$"""{"{{Label}}":"podinfo"}""");
        var target = _cluster.Require("apps/v1", "Deployment", "podinfo");
        target["metadata"]!["annotations"].ShouldEqualJson("""{"team":"web"}""");
        TemplateLabels("podinfo").ShouldEqualJson($$"""{"app":"podinfo","version":"2","{{Label}}":"podinfo"}""");
        target["spec"]!["template"]!["spec"]!["containers"]![0]!["image"]!.GetValue<string>().Should().Be("podinfo:1");
    }

    [Theory]
    [InlineData(9, 1, true, 10)]
    [InlineData(9, 1, false, 0)]
    [InlineData(3, 1, true, 25)]
    [InlineData(0, 0, true, 0)]
    public async Task GetRoutesAsync_ReadyReplicas_ReportsCanaryShareOfReadyPods(int primaryReady, int canaryReady, bool joined, int expected)
    {
        var labels = joined ? new Dictionary<string, string> { [Label] = "podinfo" } : null;
        _cluster.SeedDeployment("podinfo-primary", primaryReady, primaryReady, new Dictionary<string, string> { [Label] = "podinfo" });
        _cluster.SeedDeployment("podinfo", canaryReady, canaryReady, labels, RoutingCluster.TargetUid);

        (await Router().GetRoutesAsync(Canary(), default)).Should().Be(TrafficRoutes.ForCanary(expected));
    }

    [Fact]
    public async Task ReconcileAsync_TargetMissing_FailsNamingTargetRef()
    {
        _cluster.Server.DeleteObject("apps/v1", "Deployment", "podinfo", RoutingCluster.Namespace);

        var act = async () => await Router().ReconcileAsync(Canary(), default);

        (await act.Should().ThrowAsync<TrafficRouterException>())
            .Which.Message.Should().Be("spec.targetRef: Deployment \"podinfo\" not found in namespace \"test\"");
    }

    [Fact]
    public void Constructor_InvalidLabel_Throws()
    {
        var act = () => new LabelRatioRouter(_cluster.Api, Options.Create(new LabelRatioRouterOptions { TrafficLabel = "a=b" }));

        act.Should().Throw<ArgumentException>().WithMessage("LabelRatioRouterOptions.TrafficLabel: must be a label key*");
    }

    private static CanaryResource Canary() => RoutingCluster.Canary(TrafficProviders.LabelRatio);

    private LabelRatioRouter Router(bool isolate = false) =>
        new(_cluster.Api, Options.Create(new LabelRatioRouterOptions { Isolate = isolate }));

    /// <summary>Reconciles, lets the primary roll out its labelled pods, and points the apex Service at them.</summary>
    private async Task PrepareAsync()
    {
        await Router().ReconcileAsync(Canary(), default);
        Settle("podinfo-primary");
        Settle("podinfo");
        await Router().ReconcileAsync(Canary(), default);
        _cluster.ClearRequests();
    }

    /// <summary>Acts as the deployment controller: the current generation is rolled out with every replica ready.</summary>
    private void Settle(string name)
    {
        var deployment = _cluster.Require("apps/v1", "Deployment", name);
        var replicas = long.Parse(deployment["spec"]!["replicas"]!.ToJsonString(), CultureInfo.InvariantCulture);
        deployment["status"] = new JsonObject
        {
            ["observedGeneration"] = deployment["metadata"]!["generation"]!.DeepClone(),
            ["replicas"] = replicas,
            ["updatedReplicas"] = replicas,
            ["readyReplicas"] = replicas,
            ["availableReplicas"] = replicas,
        };
        _cluster.Server.PutObject(deployment);
    }

    private long Replicas(string name) =>
        long.Parse(_cluster.Require("apps/v1", "Deployment", name)["spec"]!["replicas"]!.ToJsonString(), CultureInfo.InvariantCulture);

    private JsonNode? TemplateLabels(string name) => _cluster.Require("apps/v1", "Deployment", name)["spec"]!["template"]!["metadata"]!["labels"];

    private JsonNode? Annotations(string name) => _cluster.Require("apps/v1", "Deployment", name)["metadata"]!["annotations"];

    private JsonNode? Selector() => _cluster.Require("v1", "Service", "podinfo")["spec"]!["selector"];
}
