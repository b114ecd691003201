using System.Text.Json.Nodes;
using Canary.Testing.Kubernetes;

namespace Canary.Testing.Tests.Kubernetes;

public sealed class DeploymentControllerSimulatorTests : IAsyncLifetime
{
    private ApiHarness _api = null!;

    public async Task InitializeAsync()
    {
        _api = await ApiHarness.StartAsync();
        _api.Server.DeploymentController.DefaultBehavior = DeploymentBehavior.ReadyAfter(TimeSpan.FromSeconds(30));
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task Create_NewDeployment_ObservesGenerationAndStartsANewReplicaSet()
    {
        await _api.CreateAsync(Paths.Deployments(), Objects.Deployment("web", replicas: 3));

        var status = await StatusAsync("web");

        Objects.Long(status, "observedGeneration").Should().Be(1);
        Objects.Long(status, "replicas").Should().Be(3);
        Objects.Long(status, "updatedReplicas").Should().Be(3);
        Objects.Long(status, "unavailableReplicas").Should().Be(3);
        status!["readyReplicas"].Should().BeNull("the API omits zero counts");
        Condition(status, "Progressing").Should().Be("True NewReplicaSetCreated");
        Condition(status, "Available").Should().Be("False MinimumReplicasUnavailable");
        Objects.Str(Objects.At(status, "conditions.1"), "message").Should().MatchRegex("^Created new replica set \"web-[a-z0-9]{10}\"$");
    }

    [Fact]
    public async Task Advance_PartWayThroughReadinessDelay_ReportsReplicaSetUpdated()
    {
        await _api.CreateAsync(Paths.Deployments(), Objects.Deployment("web", replicas: 3));

        _api.Clock.Advance(TimeSpan.FromSeconds(10));
        var status = await StatusAsync("web");

        Objects.Long(status, "readyReplicas").Should().Be(1);
        Objects.Long(status, "availableReplicas").Should().Be(1);
        Condition(status, "Progressing").Should().Be("True ReplicaSetUpdated");
    }

    [Fact]
    public async Task Advance_PastReadinessDelay_ReachesAvailable()
    {
        await _api.CreateAsync(Paths.Deployments(), Objects.Deployment("web", replicas: 3));

        _api.Clock.Advance(TimeSpan.FromSeconds(30));
        var deployment = (await _api.GetAsync(Paths.Deployment("web"))).Body;
        var status = deployment["status"];

        Objects.Long(status, "replicas").Should().Be(3);
        Objects.Long(status, "updatedReplicas").Should().Be(3);
        Objects.Long(status, "readyReplicas").Should().Be(3);
        Objects.Long(status, "availableReplicas").Should().Be(3);
        status!["unavailableReplicas"].Should().BeNull();
        Condition(status, "Available").Should().Be("True MinimumReplicasAvailable");
        Condition(status, "Progressing").Should().Be("True NewReplicaSetAvailable");
        deployment["metadata"]!["annotations"]!["deployment.kubernetes.io/revision"]!.GetValue<string>().Should().Be("1");
    }

    [Fact]
    public async Task Advance_FailingRollout_EndsInProgressDeadlineExceeded()
    {
        _api.Server.DeploymentController.Configure("web", DeploymentBehavior.Failing);
        await _api.CreateAsync(Paths.Deployments(), Objects.Deployment("web", replicas: 2, extraSpec: new JsonObject { ["progressDeadlineSeconds"] = 60 }));

        _api.Clock.Advance(TimeSpan.FromSeconds(59));
        var before = await StatusAsync("web");
        _api.Clock.Advance(TimeSpan.FromSeconds(1));
        var after = await StatusAsync("web");

        Condition(before, "Progressing").Should().Be("True NewReplicaSetCreated");
        Condition(after, "Progressing").Should().Be("False ProgressDeadlineExceeded");
        Objects.Str(Objects.At(after, "conditions.1"), "message").Should().MatchRegex("^ReplicaSet \"web-[a-z0-9]{10}\" has timed out progressing\\.$");
        after!["availableReplicas"].Should().BeNull();
    }

    [Fact]
    public async Task Patch_NewTemplate_KeepsOldPodsUntilNewOnesAreReady()
    {
        await _api.CreateAsync(Paths.Deployments(), Objects.Deployment("web", replicas: 3));
        _api.Clock.Advance(TimeSpan.FromSeconds(30));

        await SetImageAsync("web", "podinfo:2.0");
        var during = await StatusAsync("web");
        _api.Clock.Advance(TimeSpan.FromSeconds(30));
        var done = (await _api.GetAsync(Paths.Deployment("web"))).Body;

        Objects.Long(during, "observedGeneration").Should().Be(2);
        Objects.Long(during, "replicas").Should().Be(6);
        Objects.Long(during, "updatedReplicas").Should().Be(3);
        Objects.Long(during, "availableReplicas").Should().Be(3);
        Condition(during, "Available").Should().Be("True MinimumReplicasAvailable");
        Objects.Long(done["status"], "replicas").Should().Be(3);
        Condition(done["status"], "Progressing").Should().Be("True NewReplicaSetAvailable");
        done["metadata"]!["annotations"]!["deployment.kubernetes.io/revision"]!.GetValue<string>().Should().Be("2");
    }

    [Fact]
    public async Task Patch_BackToTheLastCompleteTemplate_CompletesAtOnce()
    {
        await _api.CreateAsync(Paths.Deployments(), Objects.Deployment("web", replicas: 2));
        _api.Clock.Advance(TimeSpan.FromSeconds(30));
        _api.Server.DeploymentController.Configure("web", DeploymentBehavior.Failing);
        await SetImageAsync("web", "podinfo:broken");

        await SetImageAsync("web", "podinfo:1.0");
        var status = await StatusAsync("web");

        Condition(status, "Progressing").Should().Be("True NewReplicaSetAvailable");
        Objects.Long(status, "availableReplicas").Should().Be(2);
        Objects.Long(status, "replicas").Should().Be(2);
    }

    [Fact]
    public async Task Scale_ToZero_ReportsNoReplicas()
    {
        await _api.CreateAsync(Paths.Deployments(), Objects.Deployment("web", replicas: 3));
        _api.Clock.Advance(TimeSpan.FromSeconds(30));

        await _api.PatchAsync(Paths.Deployment("web") + "/scale", "application/merge-patch+json", """{"spec":{"replicas":0}}""");
        var status = await StatusAsync("web");

        Objects.Long(status, "observedGeneration").Should().Be(2);
        foreach (var count in new[] { "replicas", "updatedReplicas", "readyReplicas", "availableReplicas", "unavailableReplicas" })
        {
            status![count].Should().BeNull(count + " is zero and omitted");
        }

        Condition(status, "Available").Should().Be("True MinimumReplicasAvailable");
    }

    [Fact]
    public async Task Scale_Up_NewPodsBecomeReadyAfterTheDelay()
    {
        await _api.CreateAsync(Paths.Deployments(), Objects.Deployment("web", replicas: 1));
        _api.Clock.Advance(TimeSpan.FromSeconds(30));

        await _api.PatchAsync(Paths.Deployment("web"), "application/merge-patch+json", """{"spec":{"replicas":3}}""");
        var during = await StatusAsync("web");
        _api.Clock.Advance(TimeSpan.FromSeconds(30));
        var after = await StatusAsync("web");

        Objects.Long(during, "availableReplicas").Should().Be(1);
        Objects.Long(during, "replicas").Should().Be(3);
        Objects.Long(after, "availableReplicas").Should().Be(3);
    }

    [Fact]
    public async Task Tick_AfterBeingEnabled_ReconcilesDeploymentsCreatedWhileDisabled()
    {
        _api.Server.DeploymentController.Enabled = false;
        await _api.CreateAsync(Paths.Deployments(), Objects.Deployment("web", replicas: 1));
        var untouched = await StatusAsync("web");

        _api.Server.DeploymentController.Enabled = true;
        _api.Server.DeploymentController.Tick();
        var observed = await StatusAsync("web");

        untouched!.AsObject().Should().BeEmpty();
        Objects.Long(observed, "observedGeneration").Should().Be(1);
    }

    [Fact]
    public async Task Configure_NamePattern_AppliesOnlyToMatchingDeployments()
    {
        _api.Server.DeploymentController.DefaultBehavior = DeploymentBehavior.Immediate;
        _api.Server.DeploymentController.Configure("*-canary", DeploymentBehavior.Failing);
        await _api.CreateAsync(Paths.Deployments(), Objects.Deployment("web-canary", replicas: 1));
        await _api.CreateAsync(Paths.Deployments(), Objects.Deployment("web-primary", replicas: 1));

        Condition(await StatusAsync("web-canary"), "Available").Should().Be("False MinimumReplicasUnavailable");
        Condition(await StatusAsync("web-primary"), "Available").Should().Be("True MinimumReplicasAvailable");
    }

    [Fact]
    public async Task StatusWrites_AreModifiedEventsAfterTheSpecChange()
    {
        await _api.CreateAsync(Paths.Deployments(), Objects.Deployment("web", replicas: 1));
        _api.Clock.Advance(TimeSpan.FromSeconds(30));
        await using var watch = await WatchStream.OpenAsync(_api.Http, Paths.Deployments() + "?watch=true&resourceVersion=" + _api.Server.CurrentResourceVersion);

        await SetImageAsync("web", "podinfo:2.0");
        var specChange = await watch.NextAsync();
        var observed = await watch.NextAsync();

        Objects.Long(specChange, "object.metadata.generation").Should().Be(2);
        Objects.Long(specChange, "object.status.observedGeneration").Should().Be(1);
        Objects.Str(observed, "type").Should().Be("MODIFIED");
        Objects.Long(observed, "object.status.observedGeneration").Should().Be(2);
    }

    private async Task<JsonNode?> StatusAsync(string name) => (await _api.GetAsync(Paths.Deployment(name))).Node("status");

    private Task<ApiResponse> SetImageAsync(string name, string image) =>
        _api.PatchAsync(Paths.Deployment(name), "application/strategic-merge-patch+json",
            new JsonObject { ["spec"] = new JsonObject { ["template"] = new JsonObject { ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "app", ["image"] = image }) } } } });

    private static string Condition(JsonNode? status, string type)
    {
        var condition = (status?["conditions"] as JsonArray ?? []).FirstOrDefault(c => Objects.Str(c, "type") == type);
        return condition is null ? "missing" : Objects.Str(condition, "status") + " " + Objects.Str(condition, "reason");
    }
}
