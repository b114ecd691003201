using System.Net;
using System.Text.Json.Nodes;

namespace Canary.Testing.Tests.Kubernetes;

public sealed class FakeApiWatchTests : IAsyncLifetime
{
    private ApiHarness _api = null!;

    public async Task InitializeAsync() => _api = await ApiHarness.StartAsync(o => o with { WatchHistoryLimit = 50 });

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task Watch_FromResourceVersion_StreamsAddedModifiedDeletedInOrder()
    {
        var list = await _api.GetAsync(Paths.ConfigMaps());
        await using var watch = await WatchStream.OpenAsync(_api.Http, Paths.ConfigMaps() + "?watch=true&resourceVersion=" + list.Str("metadata.resourceVersion"));

        await _api.CreateAsync(Paths.ConfigMaps(), Objects.ConfigMap("cm"));
        await _api.PatchAsync(Paths.ConfigMap("cm"), "application/merge-patch+json", """{"data":{"key":"changed"}}""");
        await _api.DeleteAsync(Paths.ConfigMap("cm"));
        var added = await watch.NextAsync();
        var modified = await watch.NextAsync();
        var deleted = await watch.NextAsync();

        watch.Status.Should().Be(HttpStatusCode.OK);
        watch.ContentType.Should().Be("application/json");
        Objects.Str(added, "type").Should().Be("ADDED");
        Objects.Str(added, "object.kind").Should().Be("ConfigMap");
        Objects.Str(modified, "type").Should().Be("MODIFIED");
        Objects.Str(modified, "object.data.key").Should().Be("changed");
        Objects.Str(deleted, "type").Should().Be("DELETED");
        Objects.Str(deleted, "object.data.key").Should().Be("changed");
        var versions = new[] { added, modified, deleted }.Select(e => long.Parse(Objects.Str(e, "object.metadata.resourceVersion")!)).ToList();
        versions.Should().BeInAscendingOrder().And.OnlyHaveUniqueItems();
    }

    [Fact]
    public async Task Watch_ResourceVersionInThePast_ReplaysLaterEventsOnly()
    {
        var before = await _api.CreateAsync(Paths.ConfigMaps(), Objects.ConfigMap("first"));
        await _api.CreateAsync(Paths.ConfigMaps(), Objects.ConfigMap("second"));

        await using var watch = await WatchStream.OpenAsync(_api.Http, Paths.ConfigMaps() + "?watch=1&resourceVersion=" + Objects.Str(before, "metadata.resourceVersion"));
        var replayed = await watch.NextAsync();

        Objects.Str(replayed, "type").Should().Be("ADDED");
        Objects.Str(replayed, "object.metadata.name").Should().Be("second");
    }

    [Theory]
    [InlineData("")]
    [InlineData("&resourceVersion=0")]
    public async Task Watch_WithoutExactResourceVersion_FirstSendsExistingObjectsAsAdded(string resourceVersion)
    {
        await _api.CreateAsync(Paths.ConfigMaps(), Objects.ConfigMap("a"));
        await _api.CreateAsync(Paths.ConfigMaps(), Objects.ConfigMap("b"));

        await using var watch = await WatchStream.OpenAsync(_api.Http, Paths.ConfigMaps() + "?watch=true&allowWatchBookmarks=true" + resourceVersion);
        _api.Server.SendBookmarks();
        var initial = await watch.NextUntilBookmarkAsync();

        initial.Select(e => Objects.Str(e, "type") + " " + Objects.Str(e, "object.metadata.name")).Should().Equal("ADDED a", "ADDED b");
    }

    [Fact]
    public async Task Watch_TooOldResourceVersion_Answers200ThenExpiredErrorAndEnds()
    {
        var old = await _api.CreateAsync(Paths.ConfigMaps(), Objects.ConfigMap("a"));
        await _api.CreateAsync(Paths.ConfigMaps(), Objects.ConfigMap("b"));
        _api.Server.CompactWatchHistory();

        await using var watch = await WatchStream.OpenAsync(_api.Http, Paths.ConfigMaps() + "?watch=true&resourceVersion=" + Objects.Str(old, "metadata.resourceVersion"));
        var error = await watch.NextAsync();
        var end = await watch.ReadLineAsync();

        watch.Status.Should().Be(HttpStatusCode.OK);
        Objects.Str(error, "type").Should().Be("ERROR");
        Objects.Str(error, "object.kind").Should().Be("Status");
        Objects.Str(error, "object.status").Should().Be("Failure");
        Objects.Str(error, "object.reason").Should().Be("Expired");
        Objects.Long(error, "object.code").Should().Be(410);
        Objects.Str(error, "object.message").Should().StartWith("too old resource version: " + Objects.Str(old, "metadata.resourceVersion") + " (");
        end.Should().BeNull();
    }

    [Fact]
    public async Task Watch_OlderThanTheBoundedHistory_IsExpired()
    {
        var first = await _api.CreateAsync(Paths.ConfigMaps(), Objects.ConfigMap("first"));
        for (var i = 0; i < 60; i++)
        {
            await _api.PatchAsync(Paths.ConfigMap("first"), "application/merge-patch+json", "{\"data\":{\"n\":\"" + i + "\"}}");
        }

        await using var watch = await WatchStream.OpenAsync(_api.Http, Paths.ConfigMaps() + "?watch=true&resourceVersion=" + Objects.Str(first, "metadata.resourceVersion"));
        var error = await watch.NextAsync();

        Objects.Str(error, "type").Should().Be("ERROR");
        Objects.Long(error, "object.code").Should().Be(410);
    }

    [Fact]
    public async Task Watch_Bookmarks_GoOnlyToWatchesThatAllowThem()
    {
        var rv = (await _api.GetAsync(Paths.ConfigMaps())).Str("metadata.resourceVersion");
        await using var withBookmarks = await WatchStream.OpenAsync(_api.Http, Paths.ConfigMaps() + "?watch=true&allowWatchBookmarks=true&resourceVersion=" + rv);
        await using var without = await WatchStream.OpenAsync(_api.Http, Paths.ConfigMaps() + "?watch=true&resourceVersion=" + rv);

        _api.Server.SendBookmarks();
        await _api.CreateAsync(Paths.ConfigMaps(), Objects.ConfigMap("after"));
        var bookmark = await withBookmarks.NextAsync();
        var firstOfOther = await without.NextAsync();

        Objects.Str(bookmark, "type").Should().Be("BOOKMARK");
        Objects.Str(bookmark, "object.kind").Should().Be("ConfigMap");
        Objects.Str(bookmark, "object.metadata.resourceVersion").Should().Be(rv);
        Objects.Str(firstOfOther, "type").Should().Be("ADDED");
    }

    [Fact]
    public async Task Watch_BookmarkInterval_SendsBookmarksAsTheClockAdvances()
    {
        await using var watch = await WatchStream.OpenAsync(_api.Http, Paths.ConfigMaps() + "?watch=true&allowWatchBookmarks=true&resourceVersion=" + _api.Server.CurrentResourceVersion);

        _api.Clock.Advance(TimeSpan.FromMinutes(1));
        var bookmark = await watch.NextAsync();

        Objects.Str(bookmark, "type").Should().Be("BOOKMARK");
    }

    [Fact]
    public async Task Watch_SendInitialEvents_EndsInitialStateWithAnnotatedBookmark()
    {
        await _api.CreateAsync(Paths.ConfigMaps(), Objects.ConfigMap("a"));

        await using var watch = await WatchStream.OpenAsync(_api.Http,
            Paths.ConfigMaps() + "?watch=true&sendInitialEvents=true&allowWatchBookmarks=true&resourceVersionMatch=NotOlderThan");
        var added = await watch.NextAsync();
        var bookmark = await watch.NextAsync();

        Objects.Str(added, "type").Should().Be("ADDED");
        Objects.Str(bookmark, "type").Should().Be("BOOKMARK");
        Objects.At(bookmark, "object.metadata.annotations")!["k8s.io/initial-events-end"]!.GetValue<string>().Should().Be("true");
    }

    [Fact]
    public async Task Watch_LabelSelector_ReportsObjectsEnteringAndLeavingTheSelection()
    {
        await _api.CreateAsync(Paths.ConfigMaps(), Objects.ConfigMap("cm", labels: new JsonObject { ["track"] = "stable" }));
        await using var watch = await WatchStream.OpenAsync(_api.Http,
            Paths.ConfigMaps() + "?watch=true&labelSelector=track%3Dcanary&resourceVersion=" + _api.Server.CurrentResourceVersion);

        await _api.PatchAsync(Paths.ConfigMap("cm"), "application/merge-patch+json", """{"metadata":{"labels":{"track":"canary"}}}""");
        await _api.PatchAsync(Paths.ConfigMap("cm"), "application/merge-patch+json", """{"data":{"key":"v2"}}""");
        await _api.PatchAsync(Paths.ConfigMap("cm"), "application/merge-patch+json", """{"metadata":{"labels":{"track":"stable"}}}""");
        await _api.PatchAsync(Paths.ConfigMap("cm"), "application/merge-patch+json", """{"data":{"key":"v3"}}""");
        await _api.PatchAsync(Paths.ConfigMap("cm"), "application/merge-patch+json", """{"metadata":{"labels":{"track":"canary"}}}""");
        var events = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            var next = await watch.NextAsync();
            events.Add(Objects.Str(next, "type") + " " + Objects.Str(next, "object.metadata.labels.track"));
        }

        events.Should().Equal("ADDED canary", "MODIFIED canary", "DELETED canary", "ADDED canary");
    }

    [Fact]
    public async Task Watch_TimeoutSeconds_EndsTheStreamWhenTheClockPassesIt()
    {
        await using var watch = await WatchStream.OpenAsync(_api.Http, Paths.ConfigMaps() + "?watch=true&timeoutSeconds=5&resourceVersion=" + _api.Server.CurrentResourceVersion);

        _api.Clock.Advance(TimeSpan.FromSeconds(5));
        var line = await watch.ReadLineAsync();

        line.Should().BeNull();
    }

    [Fact]
    public async Task Watch_DroppedByFaultInjection_BreaksTheConnection()
    {
        await using var watch = await WatchStream.OpenAsync(_api.Http, Paths.ConfigMaps() + "?watch=true&resourceVersion=" + _api.Server.CurrentResourceVersion);

        var dropped = _api.Server.DropWatches(r => r.Path.EndsWith("/configmaps", StringComparison.Ordinal));
        var read = async () => await watch.ReadLineAsync();

        dropped.Should().Be(1);
        await read.Should().ThrowAsync<IOException>();
    }

    [Fact]
    public async Task Watch_MalformedSelector_Returns400BeforeStreaming()
    {
        var response = await _api.GetAsync(Paths.ConfigMaps() + "?watch=true&labelSelector=" + Uri.EscapeDataString("a in b"));

        response.Status.Should().Be(HttpStatusCode.BadRequest);
    }
}
