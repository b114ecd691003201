using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Canary.Testing.Kubernetes;

namespace Canary.Testing.Tests.Kubernetes;

/// <summary>Tables, which kubectl asks for when it prints for people: a CRD's printer columns, ages, and watches of rows.</summary>
public sealed class FakeApiTableTests : IAsyncLifetime
{
    private const string TableAccept = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json";
    private ApiHarness _api = null!;

    public async Task InitializeAsync()
    {
        _api = await ApiHarness.StartAsync();
        await _api.CreateAsync("/apis/apiextensions.k8s.io/v1/customresourcedefinitions", WidgetDefinition());
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task List_AsTable_HasTheDefinitionsPrinterColumnsAndARowPerObject()
    {
        await _api.CreateAsync("/apis/example.com/v1/namespaces/default/widgets", Widget("small", phase: "Ready", size: 3));
        _api.Clock.Advance(TimeSpan.FromMinutes(5));

        var table = await GetTableAsync("/apis/example.com/v1/namespaces/default/widgets");

        table["kind"]!.GetValue<string>().Should().Be("Table");
        table["columnDefinitions"]!.AsArray().Select(c => Objects.Str(c, "name")).Should().Equal("Name", "Phase", "Size", "Created");
        var cells = table["rows"]![0]!["cells"]!.AsArray();
        cells.Select(c => c?.ToJsonString()).Should().Equal("\"small\"", "\"Ready\"", "3", "\"5m\"");
        Objects.Str(table["rows"]![0]!, "object.kind").Should().Be("PartialObjectMetadata");
    }

    [Fact]
    public async Task Get_AsTableWithAMissingField_LeavesItsCellNull()
    {
        await _api.CreateAsync("/apis/example.com/v1/namespaces/default/widgets", Widget("bare", phase: null, size: null));

        var table = await GetTableAsync("/apis/example.com/v1/namespaces/default/widgets/bare");

        table["rows"]!.AsArray().Should().ContainSingle();
        table["rows"]![0]!["cells"]![1].Should().BeNull();
    }

    [Fact]
    public async Task List_TypeWithoutColumns_HasNameAndAge()
    {
        var table = await GetTableAsync("/api/v1/namespaces");

        table["columnDefinitions"]!.AsArray().Select(c => Objects.Str(c, "name")).Should().Equal("Name", "Age");
        table["rows"]!.AsArray().Select(r => r!["cells"]![0]!.GetValue<string>()).Should().Contain("default");
    }

    [Fact]
    public async Task List_WithoutTheTableAccept_IsAPlainList()
    {
        var response = await _api.GetAsync("/api/v1/namespaces");

        response.Str("kind").Should().Be("NamespaceList");
    }

    [Theory]
    [InlineData(45, "45s")]
    [InlineData(150, "2m30s")]
    [InlineData(600, "10m")]
    [InlineData(4 * 3600 + 120, "4h2m")]
    [InlineData(30 * 3600, "30h")]
    [InlineData(3 * 86400 + 7200, "3d2h")]
    [InlineData(100 * 86400, "100d")]
    public void Age_Duration_IsPrintedAsKubectlPrintsIt(long seconds, string expected) =>
        TableDocuments.Age(TimeSpan.FromSeconds(seconds)).Should().Be(expected);

    [KubectlFact]
    public async Task Kubectl_GetAndWatch_PrintTheDefinitionsColumns()
    {
        await _api.CreateAsync("/apis/example.com/v1/namespaces/default/widgets", Widget("small", phase: "Pending", size: 3));
        using var kubectl = KubectlRunner.Create(_api.Server.CreateKubeconfig());

        var listed = await kubectl.RunAsync("get", "widgets");
        using var watch = kubectl.StartStreaming("get", "widgets", "-w", "--request-timeout=30s");
        await watch.WaitForLineAsync(line => line.Contains("Pending", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        await _api.PatchAsync("/apis/example.com/v1/namespaces/default/widgets/small", "application/merge-patch+json", new JsonObject { ["status"] = new JsonObject { ["phase"] = "Ready" } });
        var changed = await watch.WaitForLineAsync(line => line.Contains("Ready", StringComparison.Ordinal), TimeSpan.FromSeconds(30));

        listed.ExitCode.Should().Be(0, listed.ToString());
        listed.StdOut.Split('\n')[0].Should().MatchRegex("^NAME +PHASE +SIZE +CREATED$");
        listed.StdOut.Should().MatchRegex("small +Pending +3 ");
        changed.Should().MatchRegex("^small +Ready +3 ");
    }

    private async Task<JsonObject> GetTableAsync(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.ParseAdd(TableAccept);
        using var response = await _api.Http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }

    private static JsonObject Widget(string name, string? phase, int? size) => new()
    {
        ["apiVersion"] = "example.com/v1",
        ["kind"] = "Widget",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "default" },
        ["spec"] = size is { } s ? new JsonObject { ["size"] = s } : new JsonObject(),
        ["status"] = phase is { } p ? new JsonObject { ["phase"] = p } : null,
    };

    private static JsonObject WidgetDefinition() => JsonNode.Parse("""
        {
          "apiVersion": "apiextensions.k8s.io/v1",
          "kind": "CustomResourceDefinition",
          "metadata": {"name": "widgets.example.com"},
          "spec": {
            "group": "example.com",
            "scope": "Namespaced",
            "names": {"plural": "widgets", "singular": "widget", "kind": "Widget"},
            "versions": [{
              "name": "v1", "served": true, "storage": true,
              "additionalPrinterColumns": [
                {"name": "Phase", "type": "string", "jsonPath": ".status.phase"},
                {"name": "Size", "type": "integer", "jsonPath": ".spec.size"},
                {"name": "Created", "type": "date", "jsonPath": ".metadata.creationTimestamp"}
              ]
            }]
          }
        }
        """)!.AsObject();
}
