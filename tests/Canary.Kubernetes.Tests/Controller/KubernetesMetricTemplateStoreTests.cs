using System.Text.Json.Nodes;
using Canary.Kubernetes.Client;
using Canary.Kubernetes.Controller;
using Canary.Kubernetes.State;
using Canary.Kubernetes.Tests.TestSupport;
using Microsoft.Extensions.Logging;

namespace Canary.Kubernetes.Tests.Controller;

public sealed class KubernetesMetricTemplateStoreTests
{
    private static JsonObject Template(string query, string provider = "prometheus", string apiVersion = "canary.dev/v1") => new()
    {
        ["apiVersion"] = apiVersion,
        ["kind"] = "MetricTemplate",
        ["metadata"] = new JsonObject { ["name"] = "error-rate", ["namespace"] = FakeCluster.Namespace },
        ["spec"] = new JsonObject
        {
            ["provider"] = new JsonObject { ["type"] = provider, ["address"] = "http://prometheus.monitoring:9090" },
            ["query"] = query,
        },
    };

    private static async Task<FakeCluster> ClusterAsync(string group = CanaryResourceTypes.DefaultGroup, string version = CanaryResourceTypes.DefaultVersion)
    {
        var cluster = await FakeCluster.StartAsync();
        cluster.Server.RegisterCustomResource(group, version, "metrictemplates", "MetricTemplate");
        return cluster;
    }

    [Fact]
    public async Task GetAsync_TemplateInTheCluster_ReadsItsProviderAndQuery()
    {
        await using var cluster = await ClusterAsync();
        cluster.Seed(Template("sum(rate(errors[{{ interval }}]))"));
        var store = new KubernetesMetricTemplateStore(cluster.Client());

        var template = await store.GetAsync("error-rate", FakeCluster.Namespace, CancellationToken.None);

        template.Should().NotBeNull();
        template!.Query.Should().Be("sum(rate(errors[{{ interval }}]))");
        template.Provider.Type.Should().Be("prometheus");
        template.Provider.Address.Should().Be(new Uri("http://prometheus.monitoring:9090"));
        template.Namespace.Should().Be(FakeCluster.Namespace);
    }

    [Fact]
    public async Task GetAsync_TemplateChanged_ReadsTheNewVersion()
    {
        await using var cluster = await ClusterAsync();
        cluster.Seed(Template("old"));
        var store = new KubernetesMetricTemplateStore(cluster.Client());
        await store.GetAsync("error-rate", FakeCluster.Namespace, CancellationToken.None);

        cluster.Seed(Template("new"));
        var template = await store.GetAsync("error-rate", FakeCluster.Namespace, CancellationToken.None);

        template!.Query.Should().Be("new");
    }

    [Fact]
    public async Task GetAsync_ThroughACache_UnchangedTemplateCostsNoRequest()
    {
        await using var cluster = await ClusterAsync();
        cluster.Seed(Template("sum(errors)"));
        var client = cluster.Client();
        var store = new KubernetesMetricTemplateStore(client, cluster.Cache(client));
        await store.GetAsync("error-rate", FakeCluster.Namespace, CancellationToken.None);
        var mark = cluster.Server.Requests.Count;

        var template = await store.GetAsync("error-rate", FakeCluster.Namespace, CancellationToken.None);

        template!.Query.Should().Be("sum(errors)");
        cluster.RequestsSince(mark).Should().BeEmpty();
    }

    [Fact]
    public async Task GetAsync_Missing_ReturnsNull()
    {
        await using var cluster = await ClusterAsync();
        var store = new KubernetesMetricTemplateStore(cluster.Client());

        var template = await store.GetAsync("error-rate", FakeCluster.Namespace, CancellationToken.None);

        template.Should().BeNull();
    }

    [Fact]
    public async Task GetAsync_InvalidTemplate_IsLoggedAndTreatedAsMissing()
    {
        await using var cluster = await ClusterAsync();
        cluster.Seed(Template("sum(errors)", provider: "no-such-vendor"));
        var logs = new ListLoggerFactory();
        var store = new KubernetesMetricTemplateStore(cluster.Client(), logger: logs.CreateLogger<KubernetesMetricTemplateStore>());

        var template = await store.GetAsync("error-rate", FakeCluster.Namespace, CancellationToken.None);

        template.Should().BeNull();
        logs.Entries.Should().ContainSingle(e => e.EventId.Id == 3520).Which.Message.Should().Contain("spec.provider.type");
    }

    [Fact]
    public async Task GetAsync_FlaggerGroup_ReadsFlaggerTemplates()
    {
        await using var cluster = await ClusterAsync(CanaryResourceTypes.FlaggerGroup, CanaryResourceTypes.FlaggerVersion);
        cluster.Seed(Template("sum(errors)", apiVersion: "flagger.app/v1beta1"));
        var resource = CanaryResourceTypes.MetricTemplate(CanaryResourceTypes.FlaggerGroup, CanaryResourceTypes.FlaggerVersion);
        var store = new KubernetesMetricTemplateStore(cluster.Client(), resource: resource);

        var template = await store.GetAsync("error-rate", FakeCluster.Namespace, CancellationToken.None);

        template!.Query.Should().Be("sum(errors)");
    }

    [Fact]
    public void Constructor_NotAMetricTemplateResource_Throws()
    {
        using var api = new KubernetesApiClient(new Canary.Kubernetes.Configuration.KubernetesClientConfiguration { Host = new Uri("http://127.0.0.1:9/") });

        var act = () => new KubernetesMetricTemplateStore(api, resource: ResourceType.ConfigMaps);

        act.Should().Throw<ArgumentException>().WithMessage("*MetricTemplate*ConfigMap*");
    }
}
