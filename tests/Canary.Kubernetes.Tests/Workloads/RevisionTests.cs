using System.Text.Json.Nodes;
using Canary.Kubernetes.Client;
using Canary.Kubernetes.Tests.TestSupport;
using Canary.Kubernetes.Workloads;

namespace Canary.Kubernetes.Tests.Workloads;

public sealed class RevisionTests
{
    [Fact]
    public async Task GetRevisionAsync_SameTarget_IsTheSameHashForEveryController()
    {
        await using var cluster = await FakeCluster.StartAsync();
        cluster.Seed(TestObjects.Deployment(configMap: "podinfo-config"));
        cluster.Seed(TestObjects.ConfigMap("podinfo-config", ("color", "blue")));
        var (first, _, _) = cluster.Controller();
        var (second, _, _) = cluster.Controller();

        var revision = await first.GetRevisionAsync(TestObjects.Canary(), default);

        revision.Should().MatchRegex("^[0-9a-f]{16}$");
        (await second.GetRevisionAsync(TestObjects.Canary(), default)).Should().Be(revision);
    }

    [Fact]
    public async Task GetRevisionAsync_PodTemplateChanged_IsANewRevision()
    {
        await using var cluster = await FakeCluster.StartAsync();
        cluster.Seed(TestObjects.Deployment());
        var (controller, cache, _) = cluster.Controller();
        var before = await controller.GetRevisionAsync(TestObjects.Canary(), default);

        cluster.Seed(TestObjects.Deployment(image: "ghcr.io/stefanprodan/podinfo:6.0.1"));
        cache.Invalidate(ResourceType.Deployments, FakeCluster.Namespace, TestObjects.Name);

        (await controller.GetRevisionAsync(TestObjects.Canary(), default)).Should().NotBe(before);
    }

    [Fact]
    public async Task GetRevisionAsync_OnlyReplicasChanged_IsTheSameRevision()
    {
        await using var cluster = await FakeCluster.StartAsync();
        cluster.Seed(TestObjects.Deployment(replicas: 2));
        var (controller, cache, _) = cluster.Controller();
        var before = await controller.GetRevisionAsync(TestObjects.Canary(), default);

        cluster.Seed(TestObjects.Deployment(replicas: 5));
        cache.Invalidate(ResourceType.Deployments, FakeCluster.Namespace, TestObjects.Name);

        (await controller.GetRevisionAsync(TestObjects.Canary(), default)).Should().Be(before);
    }

    [Fact]
    public async Task GetRevisionAsync_ReferencedConfigMapChanged_IsANewRevision()
    {
        await using var cluster = await FakeCluster.StartAsync();
        cluster.Seed(TestObjects.Deployment(configMap: "podinfo-config"));
        cluster.Seed(TestObjects.ConfigMap("podinfo-config", ("color", "blue")));
        var (controller, cache, _) = cluster.Controller();
        var before = await controller.GetRevisionAsync(TestObjects.Canary(), default);

        cluster.Seed(TestObjects.ConfigMap("podinfo-config", ("color", "green")));
        cache.Invalidate(ResourceType.ConfigMaps, FakeCluster.Namespace, "podinfo-config");

        (await controller.GetRevisionAsync(TestObjects.Canary(), default)).Should().NotBe(before);
    }

    [Fact]
    public async Task GetRevisionAsync_ReferencedSecretChanged_IsANewRevision()
    {
        await using var cluster = await FakeCluster.StartAsync();
        cluster.Seed(TestObjects.Deployment(secret: "podinfo-secret"));
        cluster.Seed(TestObjects.Secret("podinfo-secret", ("token", "one")));
        var (controller, cache, _) = cluster.Controller();
        var before = await controller.GetRevisionAsync(TestObjects.Canary(), default);

        cluster.Seed(TestObjects.Secret("podinfo-secret", ("token", "two")));
        cache.Invalidate(ResourceType.Secrets, FakeCluster.Namespace, "podinfo-secret");

        (await controller.GetRevisionAsync(TestObjects.Canary(), default)).Should().NotBe(before);
    }

    [Fact]
    public async Task GetRevisionAsync_ConfigMapChangedByAnother_IsSeenOnceTheInformerHasIt()
    {
        await using var cluster = await FakeCluster.StartAsync();
        cluster.Seed(TestObjects.Deployment(configMap: "podinfo-config"));
        cluster.Seed(TestObjects.ConfigMap("podinfo-config", ("color", "blue")));
        var (controller, cache, _) = cluster.Controller();
        var before = await controller.GetRevisionAsync(TestObjects.Canary(), default);

        cluster.Seed(TestObjects.ConfigMap("podinfo-config", ("color", "green")));

        (await RevisionOnceChangedAsync(controller, cache, before)).Should().NotBe(before);
    }

    [Fact]
    public async Task GetRevisionAsync_TrackingDisabledOnTheConfigMap_IgnoresItsChanges()
    {
        await using var cluster = await FakeCluster.StartAsync();
        cluster.Seed(TestObjects.Deployment(configMap: "podinfo-config"));
        cluster.Seed(Untracked(TestObjects.ConfigMap("podinfo-config", ("color", "blue"))));
        var (controller, cache, _) = cluster.Controller();
        var before = await controller.GetRevisionAsync(TestObjects.Canary(), default);

        cluster.Seed(Untracked(TestObjects.ConfigMap("podinfo-config", ("color", "green"))));
        cache.Invalidate(ResourceType.ConfigMaps, FakeCluster.Namespace, "podinfo-config");

        (await controller.GetRevisionAsync(TestObjects.Canary(), default)).Should().Be(before);
    }

    [Fact]
    public async Task GetRevisionAsync_NothingChanged_MakesNoRequest()
    {
        await using var cluster = await FakeCluster.StartAsync();
        cluster.Seed(TestObjects.Deployment(configMap: "podinfo-config", secret: "podinfo-secret"));
        cluster.Seed(TestObjects.ConfigMap("podinfo-config", ("color", "blue")));
        cluster.Seed(TestObjects.Secret("podinfo-secret", ("token", "one")));
        var (controller, _, _) = cluster.Controller();
        var revision = await controller.GetRevisionAsync(TestObjects.Canary(), default);
        var mark = cluster.Server.Requests.Count;

        (await controller.GetRevisionAsync(TestObjects.Canary(), default)).Should().Be(revision);

        cluster.RequestsSince(mark).Select(r => $"{r.Method} {r.Path}").Should().BeEmpty();
    }

    /// <summary>Reads the revision at every change the cache's informers see, until it differs or the time is up.</summary>
    private static async Task<string> RevisionOnceChangedAsync(KubernetesWorkloadController controller, KubernetesObjectCache cache, string before)
    {
        using var timeout = new CancellationTokenSource(FakeCluster.Timeout);
        while (true)
        {
            var next = cache.NextChangeAsync();
            var revision = await controller.GetRevisionAsync(TestObjects.Canary(), default);
            if (revision != before || timeout.IsCancellationRequested)
            {
                return revision;
            }

            await next.WaitAsync(timeout.Token).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    private static JsonObject Untracked(JsonObject config)
    {
        config["metadata"]!["annotations"] = new JsonObject { [CanaryLabels.FlaggerConfigTracking] = "disabled" };
        return config;
    }
}
