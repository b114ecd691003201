using System.Net;
using System.Text;
using Canary.Kubernetes.Client;
using Canary.Kubernetes.Tests.TestSupport;
using Microsoft.AspNetCore.Http;

namespace Canary.Kubernetes.Tests.Client;

public sealed class KubernetesApiClientWatchTests
{
    private const string Added = """{"type":"ADDED","object":{"kind":"Pod","apiVersion":"v1","metadata":{"name":"a","namespace":"prod","resourceVersion":"11"}}}""";
    private const string Modified = """{"type":"MODIFIED","object":{"kind":"Pod","apiVersion":"v1","metadata":{"name":"a","namespace":"prod","resourceVersion":"12"}}}""";
    private const string Deleted = """{"type":"DELETED","object":{"kind":"Pod","apiVersion":"v1","metadata":{"name":"a","namespace":"prod","resourceVersion":"13"}}}""";
    private const string Bookmark = """{"type":"BOOKMARK","object":{"kind":"Pod","apiVersion":"v1","metadata":{"resourceVersion":"14"}}}""";
    private const string ExpiredError = """{"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"too old resource version: 5 (1234)","reason":"Expired","code":410}}""";

    [Fact]
    public async Task WatchAsync_Options_SendsWatchQuery()
    {
        var handler = new FakeKubeApiHandler(_ => FakeKubeApiHandler.Stream(new ScriptedStream(string.Empty, ScriptedStream.Ending.Close)));
        using var client = TestClients.Create(handler);

        await foreach (var _ in client.WatchAsync(ResourceType.Pods, "prod", new WatchOptions
        {
            ResourceVersion = "10",
            AllowWatchBookmarks = true,
            Timeout = TimeSpan.FromMinutes(5),
            LabelSelector = "app=web",
            FieldSelector = "metadata.name=a",
        }))
        {
        }

        handler.Requests.Single().PathAndQuery.Should().Be(
            "/api/v1/namespaces/prod/pods?watch=true&resourceVersion=10&allowWatchBookmarks=true&timeoutSeconds=300" +
            "&labelSelector=app%3Dweb&fieldSelector=metadata.name%3Da");
    }

    [Fact]
    public async Task WatchAsync_EveryEventType_YieldsThemInOrder()
    {
        var body = ScriptedStream.Lines(Added, Modified, Deleted, Bookmark, ExpiredError);
        var handler = new FakeKubeApiHandler(_ => FakeKubeApiHandler.Stream(new ScriptedStream(body, ScriptedStream.Ending.Close)));
        using var client = TestClients.Create(handler);

        var events = await Collect(client.WatchAsync(ResourceType.Pods, "prod"));

        events.Select(e => e.Type).Should().Equal(
            WatchEventType.Added, WatchEventType.Modified, WatchEventType.Deleted, WatchEventType.Bookmark, WatchEventType.Error);
        events.Select(e => e.ResourceVersion).Take(4).Should().Equal("11", "12", "13", "14");
        events[4].Status!.Reason.Should().Be("Expired");
        events[4].Status!.Code.Should().Be(410);
        events[0].Status.Should().BeNull();
    }

    [Fact]
    public async Task WatchAsync_MalformedLines_SkipsAndReportsThemWithoutTheirContent()
    {
        var body = ScriptedStream.Lines(
            Added,
            "{not json secret-data",
            "[1,2]",
            """{"type":"EXPLODED","object":{}}""",
            """{"type":"ADDED"}""",
            string.Empty,
            Modified);
        var handler = new FakeKubeApiHandler(_ => FakeKubeApiHandler.Stream(new ScriptedStream(body, ScriptedStream.Ending.Close)));
        var logs = new ListLoggerFactory();
        using var client = TestClients.Create(handler, options: TestClients.FastOptions(logs: logs));
        var reported = new List<string>();

        var events = await Collect(client.WatchAsync(ResourceType.Pods, "prod", new WatchOptions { OnMalformedLine = reported.Add }));

        events.Select(e => e.ResourceVersion).Should().Equal("11", "12");
        reported.Should().Equal(
            "the line is not JSON",
            "the line is not a JSON object",
            "the event type \"EXPLODED\" is unknown",
            "the event has no object");
        logs.Entries.Where(e => e.EventId.Id == 3101).Should().HaveCount(4)
            .And.OnlyContain(e => !e.Message.Contains("secret-data", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WatchAsync_ConnectionDrops_YieldsEventsBeforeThenThrowsIOException()
    {
        var handler = new FakeKubeApiHandler(_ => FakeKubeApiHandler.Stream(new ScriptedStream(ScriptedStream.Lines(Added), ScriptedStream.Ending.Drop)));
        using var client = TestClients.Create(handler);
        var events = new List<WatchEvent>();

        var act = async () =>
        {
            await foreach (var e in client.WatchAsync(ResourceType.Pods, "prod"))
            {
                events.Add(e);
            }
        };

        await act.Should().ThrowAsync<IOException>();
        events.Should().ContainSingle().Which.Type.Should().Be(WatchEventType.Added);
    }

    [Fact]
    public async Task WatchAsync_GoneAtStart_ThrowsKubernetesExceptionIsGone()
    {
        var handler = new FakeKubeApiHandler(_ => FakeKubeApiHandler.Json(HttpStatusCode.Gone, StatusBodies.Expired));
        using var client = TestClients.Create(handler);

        var act = () => Collect(client.WatchAsync(ResourceType.Pods, "prod", new WatchOptions { ResourceVersion = "5" }));

        (await act.Should().ThrowAsync<KubernetesException>()).Which.IsGone.Should().BeTrue();
    }

    [Fact]
    public async Task WatchAsync_RealServerStreaming_DeliversEachEventBeforeTheStreamEnds()
    {
        var secondLineAllowed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await TestApiServer.StartAsync(async context =>
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(Added + "\n");
            await context.Response.Body.FlushAsync();
            await secondLineAllowed.Task.WaitAsync(TimeSpan.FromSeconds(20));
            await context.Response.WriteAsync(Modified + "\n");
        });
        var time = new ManualTimeProvider();
        using var client = new Canary.Kubernetes.Client.KubernetesApiClient(
            new Canary.Kubernetes.Configuration.KubernetesClientConfiguration { Host = server.Address, Timeout = TimeSpan.FromSeconds(30) },
            TestClients.FastOptions(time: time));
        var types = new List<WatchEventType>();

        await foreach (var e in client.WatchAsync(ResourceType.Pods, "prod").WithCancellation(new CancellationTokenSource(TimeSpan.FromSeconds(20)).Token))
        {
            types.Add(e.Type);
            if (types.Count == 1)
            {
                // Far beyond the per-request timeout: a watch is bound by it only until its headers arrive.
                time.Advance(TimeSpan.FromMinutes(10));
                secondLineAllowed.SetResult();
            }
        }

        types.Should().Equal(WatchEventType.Added, WatchEventType.Modified);
    }

    [Fact]
    public async Task WatchAsync_LongLineSplitAcrossChunks_IsReassembled()
    {
        var big = new string('x', 200_000);
        var line = "{\"type\":\"ADDED\",\"object\":{\"metadata\":{\"name\":\"a\",\"resourceVersion\":\"11\"},\"data\":{\"blob\":\"" + big + "\"}}}";
        await using var server = await TestApiServer.StartAsync(async context =>
        {
            context.Response.ContentType = "application/json";
            var bytes = Encoding.UTF8.GetBytes(line + "\n");
            for (var offset = 0; offset < bytes.Length; offset += 8192)
            {
                await context.Response.Body.WriteAsync(bytes.AsMemory(offset, Math.Min(8192, bytes.Length - offset)));
                await context.Response.Body.FlushAsync();
            }
        });
        using var client = new KubernetesApiClient(new Canary.Kubernetes.Configuration.KubernetesClientConfiguration { Host = server.Address });

        var events = await Collect(client.WatchAsync(ResourceType.ConfigMaps, "prod"));

        events.Should().ContainSingle().Which.Object["data"]!["blob"]!.GetValue<string>().Should().HaveLength(200_000);
    }

    private static async Task<List<WatchEvent>> Collect(IAsyncEnumerable<WatchEvent> events)
    {
        var result = new List<WatchEvent>();
        await foreach (var e in events)
        {
            result.Add(e);
        }

        return result;
    }
}
