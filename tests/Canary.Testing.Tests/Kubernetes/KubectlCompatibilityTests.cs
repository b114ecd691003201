using System.Text.Json.Nodes;
using Canary.Testing.Kubernetes;

namespace Canary.Testing.Tests.Kubernetes;

/// <summary>The real kubectl against the fake server, on the system clock.</summary>
public sealed class KubectlCompatibilityTests : IAsyncLifetime
{
    private const string DeploymentManifest = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
          labels: {app: web}
        spec:
          replicas: 2
          selector:
            matchLabels: {app: web}
          template:
            metadata:
              labels: {app: web}
            spec:
              containers:
              - name: app
                image: podinfo:1.0
        """;

    private ApiHarness _api = null!;

    private FakeKubernetesApiServer _server = null!;

    public async Task InitializeAsync()
    {
        _api = await ApiHarness.StartAsync(o => o with { TimeProvider = TimeProvider.System });
        _server = _api.Server;
        _server.PutObject(Objects.ConfigMap("settings", data: new JsonObject { ["mode"] = "stable" }));
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [KubectlFact]
    public async Task Kubectl_GetAndList_ReadObjectsFromTheServer()
    {
        using var kubectl = KubectlRunner.Create(_server.CreateKubeconfig());

        var namespaces = await kubectl.RunAsync("get", "namespaces", "-o", "name");
        var list = await kubectl.RunAsync("get", "configmaps", "-o", "name");
        var value = await kubectl.RunAsync("get", "configmap", "settings", "-o", "jsonpath={.data.mode}");
        var missing = await kubectl.RunAsync("get", "configmap", "nope");

        namespaces.ExitCode.Should().Be(0, namespaces.ToString());
        namespaces.StdOut.Should().Contain("namespace/default").And.Contain("namespace/kube-system");
        list.StdOut.Trim().Should().Be("configmap/settings", list.ToString());
        value.StdOut.Should().Be("stable", value.ToString());
        missing.ExitCode.Should().NotBe(0);
        missing.StdErr.Should().Contain("configmaps \"settings\"".Replace("settings", "nope", StringComparison.Ordinal)).And.Contain("not found");
    }

    [KubectlFact]
    public async Task Kubectl_CreateWithoutValidation_CreatesAndRollsOut()
    {
        using var kubectl = KubectlRunner.Create(_server.CreateKubeconfig());
        var manifest = kubectl.WriteFile("web.yaml", DeploymentManifest);

        var created = await kubectl.RunAsync("create", "--validate=false", "-f", manifest);
        var rollout = await kubectl.RunAsync("rollout", "status", "deployment/web", "--timeout=30s");

        created.ExitCode.Should().Be(0, created.ToString());
        created.StdOut.Should().Contain("deployment.apps/web created");
        Objects.Long(_server.GetObject("apps/v1", "Deployment", "web"), "spec.replicas").Should().Be(2);
        rollout.ExitCode.Should().Be(0, rollout.ToString());
        rollout.StdOut.Should().Contain("successfully rolled out");
    }

    [KubectlFact]
    public async Task Kubectl_RolloutStatus_ReportsAFailedRollout()
    {
        _server.DeploymentController.Configure("web", DeploymentBehavior.Failing);
        var failing = Objects.Deployment("web", replicas: 1, extraSpec: new JsonObject { ["progressDeadlineSeconds"] = 1 });
        _server.PutObject(failing);
        using var kubectl = KubectlRunner.Create(_server.CreateKubeconfig());

        var rollout = await kubectl.RunAsync("rollout", "status", "deployment/web", "--timeout=30s");

        rollout.ExitCode.Should().NotBe(0, rollout.ToString());
        rollout.StdErr.Should().Contain("exceeded its progress deadline");
    }

    [KubectlFact]
    public async Task Kubectl_PatchMergeAndJson_ChangeTheObject()
    {
        using var kubectl = KubectlRunner.Create(_server.CreateKubeconfig());

        var merge = await kubectl.RunAsync("patch", "configmap", "settings", "--type=merge", "-p", """{"data":{"mode":"canary","added":"yes"}}""");
        var json = await kubectl.RunAsync("patch", "configmap", "settings", "--type=json", "-p", """[{"op":"remove","path":"/data/added"},{"op":"add","path":"/data/weight","value":"10"}]""");
        var failedTest = await kubectl.RunAsync("patch", "configmap", "settings", "--type=json", "-p", """[{"op":"test","path":"/data/mode","value":"stable"}]""");

        merge.ExitCode.Should().Be(0, merge.ToString());
        merge.StdOut.Should().Contain("configmap/settings patched");
        json.ExitCode.Should().Be(0, json.ToString());
        failedTest.ExitCode.Should().NotBe(0, failedTest.ToString());
        Objects.Json(_server.GetObject("v1", "ConfigMap", "settings")!["data"]).Should().Be("""{"mode":"canary","weight":"10"}""");
    }

    [KubectlFact]
    public async Task Kubectl_Delete_RemovesTheObject()
    {
        using var kubectl = KubectlRunner.Create(_server.CreateKubeconfig());

        var deleted = await kubectl.RunAsync("delete", "configmap", "settings", "--timeout=30s");

        deleted.ExitCode.Should().Be(0, deleted.ToString());
        deleted.StdOut.Should().Contain("configmap \"settings\" deleted");
        _server.GetObject("v1", "ConfigMap", "settings").Should().BeNull();
    }

    [KubectlFact]
    public async Task Kubectl_ServerSideApply_ReportsConflictsBetweenManagers()
    {
        using var kubectl = KubectlRunner.Create(_server.CreateKubeconfig());
        var manifest = kubectl.WriteFile("web.yaml", DeploymentManifest);
        var changed = kubectl.WriteFile("web-3.yaml", DeploymentManifest.Replace("replicas: 2", "replicas: 3", StringComparison.Ordinal));

        var first = await kubectl.RunAsync("apply", "--server-side", "--validate=false", "--field-manager=team-a", "-f", manifest);
        var conflict = await kubectl.RunAsync("apply", "--server-side", "--validate=false", "--field-manager=team-b", "-f", changed);
        var forced = await kubectl.RunAsync("apply", "--server-side", "--validate=false", "--field-manager=team-b", "--force-conflicts", "-f", changed);

        first.ExitCode.Should().Be(0, first.ToString());
        conflict.ExitCode.Should().NotBe(0, conflict.ToString());
        conflict.StdErr.Should().Contain("conflict with \"team-a\"").And.Contain(".spec.replicas");
        forced.ExitCode.Should().Be(0, forced.ToString());
        Objects.Long(_server.GetObject("apps/v1", "Deployment", "web"), "spec.replicas").Should().Be(3);
    }

    [KubectlFact]
    public async Task Kubectl_GetWatch_PrintsChangesMadeWhileWatching()
    {
        using var kubectl = KubectlRunner.Create(_server.CreateKubeconfig());

        using var watch = kubectl.StartStreaming("get", "configmaps", "-w", "-o", "name", "--request-timeout=30s");
        await watch.WaitForLineAsync(line => line == "configmap/settings", TimeSpan.FromSeconds(30));
        var created = await _api.PostAsync(Paths.ConfigMaps(), Objects.ConfigMap("fresh"));
        var seen = await watch.WaitForLineAsync(line => line == "configmap/fresh", TimeSpan.FromSeconds(30));

        created.Status.Should().Be(System.Net.HttpStatusCode.Created);
        seen.Should().Be("configmap/fresh");
    }
}
