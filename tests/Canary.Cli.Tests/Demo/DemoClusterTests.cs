using System.Text.Json.Nodes;
using Canary.Cli.Demo;
using Canary.Kubernetes.Client;
using Canary.Kubernetes.Configuration;
using Canary.Testing.Kubernetes;
using Canary.Testing.Time;
using static Canary.Cli.Tests.Demo.DemoObjects;

namespace Canary.Cli.Tests.Demo;

/// <summary>The cluster playing the deployment controller: pods for <c>spec.replicas</c>, reported ready once they serve.</summary>
public sealed class DemoClusterTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly ManualTimeProvider _clock = new();

    [Fact]
    public async Task ManageDeploymentStatus_NewDeployment_StartsItsReplicasAndReportsThemReady()
    {
        await using var api = await FakeApi.StartAsync(_clock, WithoutStatus(Deployment("podinfo", "2.0.0", readyReplicas: 3)));
        await using var cluster = Start(api, TimeSpan.Zero);
        using var timeout = new CancellationTokenSource(Timeout);

        await cluster.StartAsync(timeout.Token);
        var status = await api.WaitForStatusAsync(s => s["readyReplicas"]?.GetValue<int>() == 3, timeout.Token);

        cluster.PodsOf("podinfo").Should().HaveCount(3);
        status["updatedReplicas"]!.GetValue<int>().Should().Be(3);
        status["observedGeneration"]!.GetValue<long>().Should().Be(1);
        status["conditions"]!.AsArray().Select(c => c!["reason"]!.GetValue<string>()).Should().Equal("MinimumReplicasAvailable", "NewReplicaSetAvailable");
    }

    [Fact]
    public async Task ManageDeploymentStatus_ReadinessDelay_PodsServeAndCountOnlyOnceItHasPassed()
    {
        await using var api = await FakeApi.StartAsync(_clock, WithoutStatus(Deployment("podinfo", "2.0.0", readyReplicas: 2)));
        await using var cluster = Start(api, TimeSpan.FromSeconds(10));
        using var timeout = new CancellationTokenSource(Timeout);
        await cluster.StartAsync(timeout.Token);

        var starting = await api.WaitForStatusAsync(s => s["updatedReplicas"]?.GetValue<int>() == 2, timeout.Token);
        var servingBefore = cluster.PodsOf("podinfo").Count;
        _clock.Advance(TimeSpan.FromSeconds(10));
        await cluster.WaitUntilAsync(c => c.PodsOf("podinfo").Count == 2, timeout.Token);
        var ready = await api.WaitForStatusAsync(s => s["readyReplicas"]?.GetValue<int>() == 2, timeout.Token);

        servingBefore.Should().Be(0);
        starting["readyReplicas"].Should().BeNull("zero counts are omitted, as the API omits them");
        starting["conditions"]!.AsArray().Select(c => c!["reason"]!.GetValue<string>()).Should().Equal("MinimumReplicasUnavailable", "ReplicaSetUpdated");
        ready["availableReplicas"]!.GetValue<int>().Should().Be(2);
    }

    [Fact]
    public async Task ManageDeploymentStatus_ScaledToZero_StopsThePodsAndOmitsTheCounts()
    {
        await using var api = await FakeApi.StartAsync(_clock, WithoutStatus(Deployment("podinfo", "2.0.0", readyReplicas: 2)));
        await using var cluster = Start(api, TimeSpan.Zero);
        using var timeout = new CancellationTokenSource(Timeout);
        await cluster.StartAsync(timeout.Token);
        await api.WaitForStatusAsync(s => s["readyReplicas"]?.GetValue<int>() == 2, timeout.Token);

        await api.Client.PatchAsync(ResourceType.Deployments, Namespace, "podinfo", KubernetesPatch.Merge(new JsonObject { ["spec"] = new JsonObject { ["replicas"] = 0 } }), cancellationToken: timeout.Token);
        var status = await api.WaitForStatusAsync(s => s["observedGeneration"]?.GetValue<long>() == 2, timeout.Token);

        cluster.PodsOf("podinfo").Should().BeEmpty();
        status["replicas"].Should().BeNull();
        status["readyReplicas"].Should().BeNull();
    }

    private static JsonObject WithoutStatus(JsonObject deployment)
    {
        deployment.Remove("status");
        return deployment;
    }

    private DemoCluster Start(FakeApi api, TimeSpan readinessDelay) => new(api.Client, new DemoClusterOptions
    {
        Namespace = Namespace,
        ManageDeploymentStatus = true,
        ReadinessDelay = readinessDelay,
        TimeProvider = _clock,
    });

    /// <summary>A fake API server without its deployment simulator, seeded with one Deployment, and a client to it.</summary>
    private sealed class FakeApi : IAsyncDisposable
    {
        private readonly FakeKubernetesApiServer _server;

        private FakeApi(FakeKubernetesApiServer server)
        {
            _server = server;
            Client = new KubernetesApiClient(new KubernetesClientConfiguration { Host = server.BaseAddress, AccessToken = "demo" });
        }

        public KubernetesApiClient Client { get; }

        public static async Task<FakeApi> StartAsync(TimeProvider clock, JsonObject deployment)
        {
            var server = new FakeKubernetesApiServer(new FakeKubernetesApiServerOptions { SimulateDeployments = false, TimeProvider = clock });
            await server.StartAsync();
            server.PutObject(deployment);
            return new FakeApi(server);
        }

        /// <summary>Watches the Deployment until its status satisfies the condition.</summary>
        public async Task<JsonObject> WaitForStatusAsync(Func<JsonObject, bool> condition, CancellationToken cancellationToken)
        {
            var current = await Client.GetAsync(ResourceType.Deployments, Namespace, "podinfo", cancellationToken: cancellationToken);
            if (current["status"] is JsonObject now && condition(now))
            {
                return now;
            }

            var options = new WatchOptions { ResourceVersion = KubernetesObject.GetResourceVersion(current), FieldSelector = "metadata.name=podinfo" };
            await foreach (var change in Client.WatchAsync(ResourceType.Deployments, Namespace, options, cancellationToken))
            {
                if (change.Object["status"] is JsonObject status && condition(status))
                {
                    return status;
                }
            }

            throw new InvalidOperationException("The watch ended before the status was reached.");
        }

        public async ValueTask DisposeAsync()
        {
            Client.Dispose();
            await _server.DisposeAsync();
        }
    }
}
