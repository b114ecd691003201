using System.Text.Json.Nodes;
using Canary.Kubernetes.Client;
using Canary.Kubernetes.Tests.TestSupport;
using Canary.Kubernetes.Workloads;
using Canary.Model;
using Canary.Workloads;

namespace Canary.Kubernetes.Tests.Workloads;

/// <summary>The <c>name-baseline</c> Deployment of <c>analysis.baseline</c>, against the fake API server and its deployment controller.</summary>
public sealed class BaselineTests : IAsyncLifetime
{
    private const string NewImage = "ghcr.io/stefanprodan/podinfo:6.0.1";
    private const string TrafficLabel = "canary.dev/traffic";

    private FakeCluster _cluster = null!;
    private KubernetesWorkloadController _workloads = null!;
    private KubernetesObjectCache _cache = null!;

    public async Task InitializeAsync()
    {
        _cluster = await FakeCluster.StartAsync();
        (_workloads, _cache, _) = _cluster.Controller();
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task ScaleUpBaselineAsync_NewRevisionRunning_CreatesTheStableVersionAtTheCanarysScale()
    {
        await StartRunAsync(replicas: 3);

        await Controller().ScaleUpBaselineAsync(Canary(), default);

        var baseline = _cluster.Deployment("podinfo-baseline")!;
        TestObjects.Image(baseline).Should().Be(TestObjects.Image(_cluster.Deployment("podinfo-primary"))).And.NotBe(NewImage);
        TestObjects.Replicas(baseline).Should().Be(3);
        Json.Of(baseline["spec"]!["selector"]!["matchLabels"]).Should().Be(Json.Of(new JsonObject { ["app"] = "podinfo-baseline" }));
        Json.Of(baseline["spec"]!["template"]!["metadata"]!["labels"]).Should().Be(Json.Of(new JsonObject { ["app"] = "podinfo-baseline" }));
        Json.Of(baseline["metadata"]!["labels"]).Should().Be(Json.Of(new JsonObject
        {
            ["app"] = "podinfo-baseline",
            ["team"] = "web",
            [CanaryLabels.ManagedBy] = CanaryLabels.ManagedByValue,
            [CanaryLabels.CanaryName] = TestObjects.Name,
        }));
    }

    [Fact]
    public async Task ScaleUpBaselineAsync_CanaryObjectExists_OwnsTheBaselineAsThePrimaryIsOwned()
    {
        _cluster.Seed(TestObjects.CanaryObject());
        await StartRunAsync();

        await Controller().ScaleUpBaselineAsync(Canary(), default);

        var owners = _cluster.Deployment("podinfo-baseline")!["metadata"]!["ownerReferences"];
        owners.Should().NotBeNull();
        Json.Of(owners).Should().Be(Json.Of(_cluster.Deployment("podinfo-primary")!["metadata"]!["ownerReferences"]));
    }

    [Fact]
    public async Task ScaleUpBaselineAsync_TemplateReferencesConfiguration_UsesThePrimarysCopies()
    {
        _cluster.Seed(TestObjects.ConfigMap("podinfo-config", ("color", "blue")));
        await StartRunAsync(target: TestObjects.Deployment(configMap: "podinfo-config"));

        await Controller().ScaleUpBaselineAsync(Canary(), default);

        var container = _cluster.Deployment("podinfo-baseline")!["spec"]!["template"]!["spec"]!["containers"]![0]!;
        container["envFrom"]![0]!["configMapRef"]!["name"]!.GetValue<string>().Should().Be("podinfo-config-primary");
    }

    [Fact]
    public async Task ScaleUpBaselineAsync_Created_BecomesReady()
    {
        await StartRunAsync();
        var controller = Controller();
        var before = await controller.GetBaselineReadinessAsync(Canary(), default);

        await controller.ScaleUpBaselineAsync(Canary(), default);

        before.State.Should().Be(WorkloadReadinessState.Progressing);
        before.Reason.Should().Be("deployment \"podinfo-baseline\" not found");
        (await controller.GetBaselineReadinessAsync(Canary(), default)).Should().Be(WorkloadReadiness.Ready);
    }

    [Fact]
    public async Task ScaleUpBaselineAsync_Repeated_WritesNothing()
    {
        await StartRunAsync();
        var controller = Controller();
        await controller.ScaleUpBaselineAsync(Canary(), default);
        var mark = _cluster.Server.Requests.Count;

        await controller.ScaleUpBaselineAsync(Canary(), default);

        _cluster.RequestsSince(mark).Where(FakeCluster.IsWrite).Should().BeEmpty();
    }

    [Fact]
    public async Task ScaleUpBaselineAsync_CanaryRescaled_FollowsTheCanarysReplicas()
    {
        await StartRunAsync(replicas: 4);
        var controller = Controller();
        await controller.ScaleUpBaselineAsync(Canary(), default);
        await SetTargetAsync(t => t["spec"]!["replicas"] = 1);

        await controller.ScaleUpBaselineAsync(Canary(), default);

        TestObjects.Replicas(_cluster.Deployment("podinfo-baseline")).Should().Be(1);
    }

    [Fact]
    public async Task ScaleUpBaselineAsync_CanaryCarriesTheTrafficLabel_BaselineCarriesItToo()
    {
        await StartRunAsync();
        await SetTemplateLabelAsync("podinfo-primary", "podinfo");
        await SetTemplateLabelAsync("podinfo", "podinfo");

        await Controller().ScaleUpBaselineAsync(Canary(), default);

        TemplateLabels("podinfo-baseline").Should().Be(Json.Of(new JsonObject { ["app"] = "podinfo-baseline", [TrafficLabel] = "podinfo" }));
    }

    [Fact]
    public async Task ScaleUpBaselineAsync_OnlyThePrimaryCarriesTheTrafficLabel_BaselineStaysOutOfTheApexService()
    {
        await StartRunAsync();
        await SetTemplateLabelAsync("podinfo-primary", "podinfo");

        await Controller().ScaleUpBaselineAsync(Canary(), default);

        TemplateLabels("podinfo-baseline").Should().Be(Json.Of(new JsonObject { ["app"] = "podinfo-baseline" }));
    }

    [Fact]
    public async Task ScaleUpBaselineAsync_PrimaryPromotedSinceTheLastRun_RunsTheNewStableVersion()
    {
        await StartRunAsync();
        var controller = Controller();
        await controller.ScaleUpBaselineAsync(Canary(), default);
        await _workloads.PromoteAsync(Canary(), default);

        await controller.ScaleUpBaselineAsync(Canary(), default);

        TestObjects.Image(_cluster.Deployment("podinfo-baseline")).Should().Be(NewImage);
    }

    [Theory]
    [InlineData(TrafficProviders.Nginx, "nginx")]
    [InlineData(TrafficProviders.GatewayApi, "gatewayapi")]
    [InlineData(null, "kubernetes")]
    public async Task ScaleUpBaselineAsync_ProviderCannotRouteToABaseline_ThrowsNamingAnalysisBaseline(string? provider, string named)
    {
        await StartRunAsync();

        var act = async () => await Controller().ScaleUpBaselineAsync(Canary(provider), default);

        (await act.Should().ThrowAsync<NotSupportedException>()).Which.Message.Should().Be(
            $"analysis.baseline of canary podinfo.test: provider \"{named}\" cannot route traffic to a baseline workload; " +
            "use provider label-ratio, or set analysis.baseline to false.");
        _cluster.Deployment("podinfo-baseline").Should().BeNull();
    }

    [Fact]
    public async Task ScaleUpBaselineAsync_DefaultProviderIsLabelRatio_AcceptsASpecWithoutProvider()
    {
        await StartRunAsync();

        await Controller(new KubernetesBaselineOptions { DefaultProvider = TrafficProviders.LabelRatio }).ScaleUpBaselineAsync(Canary(provider: null), default);

        _cluster.Deployment("podinfo-baseline").Should().NotBeNull();
    }

    [Fact]
    public async Task ScaleUpBaselineAsync_UsersOwnBaselineDeployment_ThrowsAndLeavesItAlone()
    {
        await StartRunAsync();
        var users = TestObjects.Deployment();
        users["metadata"]!["name"] = "podinfo-baseline";
        _cluster.Seed(users);

        var act = async () => await Controller().ScaleUpBaselineAsync(Canary(), default);

        (await act.Should().ThrowAsync<InvalidOperationException>()).Which.Message.Should().StartWith(
            "analysis.baseline of canary podinfo.test: Deployment test/podinfo-baseline exists and was not created by Canary");
        TestObjects.Image(_cluster.Deployment("podinfo-baseline")).Should().Be(TestObjects.Image(users));
    }

    [Fact]
    public async Task ScaleUpBaselineAsync_NotInitialized_ThrowsNamingThePrimary()
    {
        _cluster.Seed(TestObjects.Deployment());

        var act = async () => await Controller().ScaleUpBaselineAsync(Canary(), default);

        (await act.Should().ThrowAsync<InvalidOperationException>()).Which.Message.Should().Be(
            "Deployment test/podinfo-primary does not exist: canary podinfo.test must be initialized before its baseline is started.");
    }

    [Fact]
    public async Task ScaleDownBaselineAsync_Running_DeletesIt()
    {
        await StartRunAsync();
        var controller = Controller();
        await controller.ScaleUpBaselineAsync(Canary(), default);

        await controller.ScaleDownBaselineAsync(Canary(), default);

        _cluster.Deployment("podinfo-baseline").Should().BeNull();
        (await controller.GetBaselineReadinessAsync(Canary(), default)).State.Should().Be(WorkloadReadinessState.Progressing);
    }

    [Fact]
    public async Task ScaleDownBaselineAsync_NoBaseline_WritesNothing()
    {
        await StartRunAsync();
        var mark = _cluster.Server.Requests.Count;

        await Controller().ScaleDownBaselineAsync(Canary(), default);

        _cluster.RequestsSince(mark).Where(FakeCluster.IsWrite).Should().BeEmpty();
    }

    [Fact]
    public async Task ScaleDownBaselineAsync_UsersOwnBaselineDeployment_LeavesIt()
    {
        await StartRunAsync();
        var users = TestObjects.Deployment();
        users["metadata"]!["name"] = "podinfo-baseline";
        _cluster.Seed(users);

        await Controller().ScaleDownBaselineAsync(Canary(), default);

        _cluster.Deployment("podinfo-baseline").Should().NotBeNull();
    }

    [Fact]
    public void Constructor_InvalidOptions_ThrowsNamingTheProperty()
    {
        var act = () => Controller(new KubernetesBaselineOptions { TrafficLabel = " " });

        act.Should().Throw<ArgumentException>().WithMessage("The KubernetesBaselineOptions are invalid: TrafficLabel: is required*");
    }

    private static CanaryResource Canary(string? provider = TrafficProviders.LabelRatio)
    {
        var canary = TestObjects.Canary(a => a with { Baseline = true });
        return canary with { Spec = canary.Spec with { Provider = provider } };
    }

    private KubernetesBaselineController Controller(KubernetesBaselineOptions? options = null) => new(_workloads, options);

    /// <summary>Initializes the canary, deploys a new image to the target and scales it up, as the engine does before it starts a baseline.</summary>
    private async Task StartRunAsync(int replicas = 2, JsonObject? target = null)
    {
        _cluster.Seed(target ?? TestObjects.Deployment(replicas: replicas));
        (await _workloads.InitializeAsync(Canary(), default)).Should().BeTrue();
        await SetTargetAsync(t => t["spec"]!["template"]!["spec"]!["containers"]![0]!["image"] = NewImage);
        await _workloads.ScaleUpCanaryAsync(Canary(), default);
    }

    private Task SetTargetAsync(Action<JsonObject> change) => ChangeAsync(TestObjects.Name, change);

    private Task SetTemplateLabelAsync(string deployment, string value) =>
        ChangeAsync(deployment, d => d["spec"]!["template"]!["metadata"]!["labels"]![TrafficLabel] = value);

    /// <summary>Changes a Deployment as someone else would, and has the controller read it afresh.</summary>
    private Task ChangeAsync(string name, Action<JsonObject> change)
    {
        var deployment = _cluster.Deployment(name)!;
        change(deployment);
        _cluster.Seed(deployment);
        _cache.Invalidate(ResourceType.Deployments, FakeCluster.Namespace, name);
        return Task.CompletedTask;
    }

    private string TemplateLabels(string name) => Json.Of(_cluster.Deployment(name)!["spec"]!["template"]!["metadata"]!["labels"]);
}
