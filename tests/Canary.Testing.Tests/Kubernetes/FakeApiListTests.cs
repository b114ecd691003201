using System.Net;
using System.Text.Json.Nodes;

namespace Canary.Testing.Tests.Kubernetes;

public sealed class FakeApiListTests : IAsyncLifetime
{
    private ApiHarness _api = null!;

    public async Task InitializeAsync()
    {
        _api = await ApiHarness.StartAsync();
        _api.Server.RegisterCustomResource("example.com", "v1", "widgets", "Widget", namespaced: true, hasStatusSubresource: false);
        await _api.CreateAsync(Paths.ConfigMaps(), Objects.ConfigMap("stable", labels: new JsonObject { ["app"] = "web", ["track"] = "stable", ["tier"] = "1" }));
        await _api.CreateAsync(Paths.ConfigMaps(), Objects.ConfigMap("canary", labels: new JsonObject { ["app"] = "web", ["track"] = "canary", ["tier"] = "3" }));
        await _api.CreateAsync(Paths.ConfigMaps(), Objects.ConfigMap("other", labels: new JsonObject { ["app"] = "db" }));
        await _api.CreateAsync(Paths.ConfigMaps(), Objects.ConfigMap("bare"));
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Theory]
    [InlineData("app=web", "canary,stable")]
    [InlineData("app==web", "canary,stable")]
    [InlineData("app!=web", "bare,other")]
    [InlineData("track in (canary,blue)", "canary")]
    [InlineData("track notin (canary)", "bare,other,stable")]
    [InlineData("track", "canary,stable")]
    [InlineData("!track", "bare,other")]
    [InlineData("app=web,track!=canary", "stable")]
    [InlineData("tier>2", "canary")]
    [InlineData("tier<2", "stable")]
    [InlineData("app in (web, db), !track", "other")]
    public async Task List_LabelSelector_MatchesLikeTheApiServer(string selector, string expected)
    {
        var response = await _api.GetAsync(Paths.ConfigMaps() + "?labelSelector=" + Uri.EscapeDataString(selector));

        Names(response).Should().Be(expected);
    }

    [Fact]
    public async Task List_MalformedLabelSelector_Returns400()
    {
        var response = await _api.GetAsync(Paths.ConfigMaps() + "?labelSelector=" + Uri.EscapeDataString("track in canary"));

        response.Status.Should().Be(HttpStatusCode.BadRequest);
        response.Str("message").Should().StartWith("unable to parse requirement:");
    }

    [Fact]
    public async Task List_FieldSelectorOnName_ReturnsThatObject()
    {
        var response = await _api.GetAsync(Paths.ConfigMaps() + "?fieldSelector=metadata.name%3Dcanary");

        Names(response).Should().Be("canary");
    }

    [Fact]
    public async Task List_FieldSelectorOnNamespaceAcrossNamespaces_FiltersByNamespace()
    {
        _api.Server.CreateNamespace("prod");
        await _api.CreateAsync(Paths.ConfigMaps("prod"), Objects.ConfigMap("prod-cm"));

        var everywhere = await _api.GetAsync("/api/v1/configmaps");
        var notDefault = await _api.GetAsync("/api/v1/configmaps?fieldSelector=metadata.namespace!%3Ddefault");

        Names(everywhere).Should().Be("bare,canary,other,stable,prod-cm");
        Names(notDefault).Should().Be("prod-cm");
    }

    [Fact]
    public async Task List_UnsupportedFieldSelector_Returns400()
    {
        var response = await _api.GetAsync(Paths.ConfigMaps() + "?fieldSelector=data.key%3Dvalue");

        response.Status.Should().Be(HttpStatusCode.BadRequest);
        response.Str("message").Should().Be("field label not supported: data.key");
    }

    [Fact]
    public async Task List_BuiltInKind_ItemsCarryNoKindOrApiVersion()
    {
        var response = await _api.GetAsync(Paths.ConfigMaps());

        response.Str("kind").Should().Be("ConfigMapList");
        response.Str("apiVersion").Should().Be("v1");
        response.Node("items")!.AsArray().Should().AllSatisfy(item =>
        {
            item!.AsObject().ContainsKey("kind").Should().BeFalse();
            item.AsObject().ContainsKey("apiVersion").Should().BeFalse();
        });
    }

    [Fact]
    public async Task List_CustomResource_ItemsKeepKindAndApiVersion()
    {
        await _api.CreateAsync(Paths.Widgets(), Objects.Widget("w"));

        var response = await _api.GetAsync(Paths.Widgets());

        response.Str("kind").Should().Be("WidgetList");
        response.Str("items.0.kind").Should().Be("Widget");
        response.Str("items.0.apiVersion").Should().Be("example.com/v1");
    }

    [Fact]
    public async Task List_ResourceVersion_IsTheStoreRevision()
    {
        var response = await _api.GetAsync(Paths.ConfigMaps());

        response.Str("metadata.resourceVersion").Should().Be(_api.Server.CurrentResourceVersion);
    }

    [Fact]
    public async Task List_LimitAndContinue_PagesThroughEverything()
    {
        var first = await _api.GetAsync(Paths.ConfigMaps() + "?limit=3");
        var token = first.Str("metadata.continue");
        var second = await _api.GetAsync(Paths.ConfigMaps() + "?limit=3&continue=" + Uri.EscapeDataString(token!));

        Names(first).Should().Be("bare,canary,other");
        first.Long("metadata.remainingItemCount").Should().Be(1);
        Names(second).Should().Be("stable");
        second.Node("metadata.continue").Should().BeNull();
        second.Str("metadata.resourceVersion").Should().Be(first.Str("metadata.resourceVersion"));
    }

    [Fact]
    public async Task List_ContinueAfterChanges_ServesTheOriginalSnapshot()
    {
        var first = await _api.GetAsync(Paths.ConfigMaps() + "?limit=2");
        await _api.DeleteAsync(Paths.ConfigMap("stable"));
        await _api.CreateAsync(Paths.ConfigMaps(), Objects.ConfigMap("zzz"));

        var second = await _api.GetAsync(Paths.ConfigMaps() + "?limit=10&continue=" + Uri.EscapeDataString(first.Str("metadata.continue")!));

        Names(second).Should().Be("other,stable");
    }

    [Fact]
    public async Task List_ContinueTokenOlderThanHistory_Returns410Expired()
    {
        var first = await _api.GetAsync(Paths.ConfigMaps() + "?limit=1");
        await _api.CreateAsync(Paths.ConfigMaps(), Objects.ConfigMap("later"));
        _api.Server.CompactWatchHistory();

        var second = await _api.GetAsync(Paths.ConfigMaps() + "?limit=1&continue=" + Uri.EscapeDataString(first.Str("metadata.continue")!));

        second.Status.Should().Be(HttpStatusCode.Gone);
        second.Str("reason").Should().Be("Expired");
        second.Str("message").Should().StartWith("The provided continue parameter is too old");
    }

    [Fact]
    public async Task List_GarbledContinueToken_Returns400()
    {
        var response = await _api.GetAsync(Paths.ConfigMaps() + "?continue=not-a-token");

        response.Status.Should().Be(HttpStatusCode.BadRequest);
        response.Str("message").Should().StartWith("continue key is not valid");
    }

    [Fact]
    public async Task List_LimitWithSelector_OmitsRemainingItemCount()
    {
        var response = await _api.GetAsync(Paths.ConfigMaps() + "?limit=1&labelSelector=app%3Dweb");

        Names(response).Should().Be("canary");
        response.Str("metadata.continue").Should().NotBeNull();
        response.Node("metadata.remainingItemCount").Should().BeNull();
    }

    private static string Names(ApiResponse response) =>
        string.Join(",", response.Node("items")!.AsArray().Select(i => Objects.Str(i, "metadata.name")));
}
