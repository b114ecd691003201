using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Canary.Kubernetes.Client;
using Canary.Kubernetes.Configuration;
using Canary.Kubernetes.State;
using Canary.Kubernetes.Tests.TestSupport;
using Canary.Model;
using Canary.Testing.Kubernetes;
using YamlDotNet.RepresentationModel;

namespace Canary.Kubernetes.Tests.State;

/// <summary>The CRDs in deploy/crds, applied to the fake API server as kubectl would send them.</summary>
public sealed class CustomResourceDefinitionTests
{
    private static string CrdPath(string file) => Path.Combine(AppContext.BaseDirectory, "crds", file);

    [Fact]
    public async Task CanaryCrd_Applied_ServesCanariesWhoseStatusTheStoreKeeps()
    {
        await using var server = new FakeKubernetesApiServer();
        await server.StartAsync();
        server.CreateNamespace(FakeCluster.Namespace);
        (await PostYamlAsync(server, CrdPath("canaries.canary.dev.yaml"))).Should().Be(201);
        using var client = new KubernetesApiClient(new KubernetesClientConfiguration { Host = server.BaseAddress, AccessToken = "t" });
        await client.CreateAsync(CanaryResourceTypes.Canary(), FakeCluster.Namespace, TestObjects.CanaryObject());
        var store = new KubernetesCanaryStatusStore(client);

        var saved = await store.SaveAsync(new CanaryId(TestObjects.Name, FakeCluster.Namespace), new CanaryStatus { Phase = CanaryPhase.Initialized }, null, default);

        saved.Status.Phase.Should().Be(CanaryPhase.Initialized);
        var stored = await client.GetAsync(CanaryResourceTypes.Canary(), FakeCluster.Namespace, TestObjects.Name);
        stored["status"]!["phase"]!.GetValue<string>().Should().Be("Initialized");
        var crd = await client.GetAsync(new ResourceType("apiextensions.k8s.io", "v1", "customresourcedefinitions", false, "CustomResourceDefinition"), null, "canaries.canary.dev");
        crd["status"]!["conditions"]!.AsArray().Should().Contain(c => c!["type"]!.GetValue<string>() == "Established" && c["status"]!.GetValue<string>() == "True");
    }

    [Fact]
    public async Task CanaryCrd_Applied_KeepsStatusOnMainResourceWrites()
    {
        await using var server = new FakeKubernetesApiServer();
        await server.StartAsync();
        server.CreateNamespace(FakeCluster.Namespace);
        await PostYamlAsync(server, CrdPath("canaries.canary.dev.yaml"));
        using var client = new KubernetesApiClient(new KubernetesClientConfiguration { Host = server.BaseAddress, AccessToken = "t" });
        await client.CreateAsync(CanaryResourceTypes.Canary(), FakeCluster.Namespace, TestObjects.CanaryObject());
        var store = new KubernetesCanaryStatusStore(client);
        await store.SaveAsync(new CanaryId(TestObjects.Name, FakeCluster.Namespace), new CanaryStatus { Phase = CanaryPhase.Progressing, CanaryWeight = 10 }, null, default);

        await client.PatchAsync(CanaryResourceTypes.Canary(), FakeCluster.Namespace, TestObjects.Name,
            KubernetesPatch.Merge(new JsonObject { ["status"] = new JsonObject { ["canaryWeight"] = 99 } }));

        (await store.GetAsync(new CanaryId(TestObjects.Name, FakeCluster.Namespace), default))!.Status.CanaryWeight.Should().Be(10,
            "with a status subresource, a write of the main resource leaves the status alone");
    }

    [Fact]
    public async Task MetricTemplateCrd_Applied_ServesMetricTemplates()
    {
        await using var server = new FakeKubernetesApiServer();
        await server.StartAsync();
        (await PostYamlAsync(server, CrdPath("metrictemplates.canary.dev.yaml"))).Should().Be(201);
        using var client = new KubernetesApiClient(new KubernetesClientConfiguration { Host = server.BaseAddress, AccessToken = "t" });

        var created = await client.CreateAsync(CanaryResourceTypes.MetricTemplate(), "default", new JsonObject
        {
            ["apiVersion"] = "canary.dev/v1",
            ["kind"] = "MetricTemplate",
            ["metadata"] = new JsonObject { ["name"] = "error-rate" },
            ["spec"] = new JsonObject
            {
                ["provider"] = new JsonObject { ["type"] = "prometheus", ["address"] = "http://prometheus:9090" },
                ["query"] = "sum(rate(http_requests_total{status=~\"5..\"}[{{ interval }}]))",
            },
        });

        KubernetesObject.GetUid(created).Should().NotBeNullOrEmpty();
    }

    [Fact]
    public void CanaryCrd_PrinterColumns_AreStatusWeightFailedChecksAndLastTransitionTime()
    {
        var root = (YamlMappingNode)LoadYaml(CrdPath("canaries.canary.dev.yaml"));
        var version = (YamlMappingNode)((YamlSequenceNode)((YamlMappingNode)root["spec"])["versions"])[0];

        var columns = ((YamlSequenceNode)version["additionalPrinterColumns"]).Cast<YamlMappingNode>()
            .Select(c => ($"{c["name"]}", $"{c["jsonPath"]}")).ToList();

        columns.Should().Equal(
            ("Status", ".status.phase"),
            ("Weight", ".status.canaryWeight"),
            ("FailedChecks", ".status.failedChecks"),
            ("LastTransitionTime", ".status.lastTransitionTime"));
        version["subresources"].Should().BeOfType<YamlMappingNode>().Which.Children.Keys.Select(k => k.ToString()).Should().Contain("status");
    }

    [Fact]
    public void CanaryCrd_StatusSchema_NamesEveryFieldTheStoreWrites()
    {
        var root = (YamlMappingNode)LoadYaml(CrdPath("canaries.canary.dev.yaml"));
        var version = (YamlMappingNode)((YamlSequenceNode)((YamlMappingNode)root["spec"])["versions"])[0];
        var status = (YamlMappingNode)((YamlMappingNode)((YamlMappingNode)((YamlMappingNode)((YamlMappingNode)version["schema"])["openAPIV3Schema"])["properties"])["status"])["properties"];
        var written = CanaryStatusJson.Write(new CanaryStatus()).Select(p => p.Key);

        status.Children.Keys.Select(k => k.ToString()).Should().Contain(written);
    }

    private static YamlNode LoadYaml(string path)
    {
        var stream = new YamlStream();
        using var reader = File.OpenText(path);
        stream.Load(reader);
        return stream.Documents[0].RootNode;
    }

    /// <summary>POSTs a YAML manifest as it is, the way <c>kubectl create -f</c> sends one, and returns the status code.</summary>
    private static async Task<int> PostYamlAsync(FakeKubernetesApiServer server, string path)
    {
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        using var content = new StringContent(await File.ReadAllTextAsync(path), Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/yaml");
        using var response = await http.PostAsync("apis/apiextensions.k8s.io/v1/customresourcedefinitions", content);
        return (int)response.StatusCode;
    }
}
