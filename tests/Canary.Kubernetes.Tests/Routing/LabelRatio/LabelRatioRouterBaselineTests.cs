using System.Globalization;
using System.Text.Json.Nodes;
using Canary.Kubernetes.Routing.LabelRatio;
using Canary.Model;
using Canary.Routing;
using Microsoft.Extensions.Options;

namespace Canary.Kubernetes.Tests.Routing.LabelRatio;

/// <summary>The label-ratio router with a <c>podinfo-baseline</c> Deployment: the baseline gets the canary's replicas and share.</summary>
public sealed class LabelRatioRouterBaselineTests : IAsyncLifetime
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
    public async Task SetRoutesAsync_WithBaseline_GivesTheBaselineTheCanarysReplicas()
    {
        await PrepareAsync();

        var achieved = await Router().SetRoutesAsync(Canary(), TrafficRoutes.ForCanary(20), default);

        // c/(10+2c) <= 20% gives c = 3: 3 of 16 pods, 18%.
        achieved.Should().Be(TrafficRoutes.ForCanary(18));
        Replicas("podinfo-primary").Should().Be(10);
        Replicas("podinfo").Should().Be(3);
        Replicas("podinfo-baseline").Should().Be(3);
        _cluster.Writes().Should().Equal($"PATCH {Deployments}/podinfo-primary", $"PATCH {Deployments}/podinfo", $"PATCH {Deployments}/podinfo-baseline");
    }

    [Theory]
    [InlineData(10)]
    [InlineData(20)]
    [InlineData(25)]
    [InlineData(50)]
    public async Task SetRoutesAsync_WithBaseline_ApexServiceGivesBaselineAndCanaryTheSameShare(int weight)
    {
        await PrepareAsync();
        var router = Router();

        var achieved = await router.SetRoutesAsync(Canary(), TrafficRoutes.ForCanary(weight), default);
        SettleAll();

        var canary = ServedShare("podinfo");
        ServedShare("podinfo-baseline").Should().Be(canary);
        canary.Should().BeGreaterThan(0).And.BeLessThanOrEqualTo(weight / 100.0);
        (await router.GetRoutesAsync(Canary(), default)).Should().Be(achieved);
    }

    [Fact]
    public async Task SetRoutesAsync_PrimaryOnlyAfterWeight_ScalesTheBaselineToZero()
    {
        await PrepareAsync();
        var router = Router();
        await router.SetRoutesAsync(Canary(), TrafficRoutes.ForCanary(30), default);
        SettleAll();

        var achieved = await router.SetRoutesAsync(Canary(), TrafficRoutes.PrimaryOnly, default);

        achieved.Should().Be(TrafficRoutes.PrimaryOnly);
        Replicas("podinfo").Should().Be(0);
        Replicas("podinfo-baseline").Should().Be(0);
        Replicas("podinfo-primary").Should().Be(10);
    }

    [Fact]
    public async Task SetRoutesAsync_Repeated_WritesNothing()
    {
        await PrepareAsync();
        var router = Router();
        await router.SetRoutesAsync(Canary(), TrafficRoutes.ForCanary(30), default);
        _cluster.ClearRequests();

        await router.SetRoutesAsync(Canary(), TrafficRoutes.ForCanary(30), default);

        _cluster.Writes().Should().BeEmpty();
    }

    [Fact]
    public async Task SetRoutesAsync_Isolated_BaselineJoinsAndLeavesWithTheCanary()
    {
        var router = Router(isolate: true);
        SeedBaseline(replicas: 10, labelled: false);
        await router.ReconcileAsync(Canary(), default);
        SettleAll();
        await router.ReconcileAsync(Canary(), default);

        await router.SetRoutesAsync(Canary(), TrafficRoutes.ForCanary(20), default);
        var joined = Labels("podinfo-baseline")!.DeepClone();
        SettleAll();
        await router.SetRoutesAsync(Canary(), TrafficRoutes.PrimaryOnly, default);

        joined.ShouldEqualJson($$"""{"app":"podinfo-baseline","{{Label}}":"podinfo"}""");
        Labels("podinfo-baseline").ShouldEqualJson("""{"app":"podinfo-baseline"}""");
        Labels("podinfo").ShouldEqualJson("""{"app":"podinfo"}""");
    }

    [Fact]
    public async Task ReconcileAsync_NotIsolated_LabelsTheBaselineAsTheCanary()
    {
        SeedBaseline(replicas: 2, labelled: false);

        await Router().ReconcileAsync(Canary(), default);

        Labels("podinfo-baseline").ShouldEqualJson($$"""{"app":"podinfo-baseline","{{Label}}":"podinfo"}""");
    }

    [Theory]
    [InlineData(true, 14)]
    [InlineData(false, 16)]
    public async Task GetRoutesAsync_WithBaseline_CountsItsLabelledReadyPodsAgainstTheCanary(bool baselineLabelled, int expected)
    {
        var labels = new Dictionary<string, string> { [Label] = "podinfo" };
        _cluster.SeedDeployment("podinfo-primary", 10, 10, labels);
        _cluster.SeedDeployment("podinfo", 2, 2, labels, RoutingCluster.TargetUid);
        SeedBaseline(replicas: 2, labelled: baselineLabelled);

        (await Router().GetRoutesAsync(Canary(), default)).Should().Be(TrafficRoutes.ForCanary(expected));
    }

    [Fact]
    public async Task SetRoutesAsync_BaselineNotCreatedByCanary_IsLeftAlone()
    {
        _cluster.SeedDeployment("podinfo-baseline", 4, 4);
        await Router().ReconcileAsync(Canary(), default);
        SettleAll();
        await Router().ReconcileAsync(Canary(), default);

        var achieved = await Router().SetRoutesAsync(Canary(), TrafficRoutes.ForCanary(20), default);

        achieved.Should().Be(TrafficRoutes.ForCanary(20));
        Replicas("podinfo").Should().Be(2);
        Replicas("podinfo-baseline").Should().Be(4);
        Labels("podinfo-baseline").ShouldEqualJson("""{"app":"podinfo-baseline"}""");
    }

    [Fact]
    public async Task SetRoutesAsync_CanaryWithoutBaselineMode_NeitherReadsNorTouchesTheBaseline()
    {
        await PrepareAsync();

        await Router().SetRoutesAsync(RoutingCluster.Canary(TrafficProviders.LabelRatio), TrafficRoutes.ForCanary(20), default);

        Replicas("podinfo").Should().Be(2);
        Replicas("podinfo-baseline").Should().Be(10);
        _cluster.Server.Requests.Should().NotContain(r => r.Path == $"{Deployments}/podinfo-baseline");
    }

    private static CanaryResource Canary() =>
        RoutingCluster.Canary(TrafficProviders.LabelRatio, spec => spec with { Analysis = spec.Analysis with { Baseline = true } });

    private LabelRatioRouter Router(bool isolate = false) =>
        new(_cluster.Api, Options.Create(new LabelRatioRouterOptions { Isolate = isolate }));

    /// <summary>Seeds a baseline as the baseline controller creates it: managed by Canary, at the canary's scale before the first weight.</summary>
    private void SeedBaseline(int replicas, bool labelled)
    {
        var labels = labelled ? new Dictionary<string, string> { [Label] = "podinfo" } : null;
        var baseline = _cluster.SeedDeployment("podinfo-baseline", replicas, replicas, labels);
        baseline["metadata"]!["labels"] = new JsonObject { ["app.kubernetes.io/managed-by"] = "canary" };
        _cluster.Server.PutObject(baseline);
    }

    /// <summary>Reconciles with a labelled baseline at the primary's scale, lets every Deployment roll out, and switches the apex Service.</summary>
    private async Task PrepareAsync()
    {
        SeedBaseline(replicas: 10, labelled: true);
        await Router().ReconcileAsync(Canary(), default);
        SettleAll();
        await Router().ReconcileAsync(Canary(), default);
        _cluster.ClearRequests();
    }

    /// <summary>Acts as the deployment controller for every Deployment: the current generation is rolled out with every replica ready.</summary>
    private void SettleAll()
    {
        foreach (var name in new[] { "podinfo-primary", "podinfo", "podinfo-baseline" })
        {
            var deployment = _cluster.Require("apps/v1", "Deployment", name);
            var replicas = Replicas(name);
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
    }

    /// <summary>
    /// The share of the apex Service's endpoints that a Deployment's ready pods are: a pod is an endpoint when its labels hold every
    /// key and value of the Service's selector, and each endpoint gets an equal share of the connections.
    /// </summary>
    private double ServedShare(string name)
    {
        var selector = _cluster.Require("v1", "Service", "podinfo")["spec"]!["selector"]!.AsObject();
        long Endpoints(string deployment)
        {
            var labels = Labels(deployment)!.AsObject();
            var selected = selector.All(p => labels[p.Key]?.GetValue<string>() == p.Value!.GetValue<string>());
            return selected ? long.Parse(_cluster.Require("apps/v1", "Deployment", deployment)["status"]!["readyReplicas"]!.ToJsonString(), CultureInfo.InvariantCulture) : 0;
        }

        var all = new[] { "podinfo-primary", "podinfo", "podinfo-baseline" }.Sum(Endpoints);
        return (double)Endpoints(name) / all;
    }

    private long Replicas(string name) =>
        long.Parse(_cluster.Require("apps/v1", "Deployment", name)["spec"]!["replicas"]!.ToJsonString(), CultureInfo.InvariantCulture);

    private JsonNode? Labels(string name) => _cluster.Require("apps/v1", "Deployment", name)["spec"]!["template"]!["metadata"]!["labels"];
}
