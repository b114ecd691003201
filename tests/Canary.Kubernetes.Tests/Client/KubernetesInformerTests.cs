using System.Net;
using System.Text.Json.Nodes;
using Canary.Kubernetes.Client;
using Canary.Kubernetes.Tests.TestSupport;

namespace Canary.Kubernetes.Tests.Client;

public sealed class KubernetesInformerTests
{
    private static readonly TimeSpan TestTimeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task RunAsync_ListThenWatch_WatchesFromListResourceVersionWithBookmarks()
    {
        var handler = new FakeKubeApiHandler(request => request.IsWatch
            ? Hang()
            : List("10", Pod("a", "5"), Pod("b", "6")));
        var (informer, stop, run) = Start(handler);

        await informer.WaitForSyncAsync().WaitAsync(TestTimeout);
        await WaitForRequests(handler, 2);
        await Stop(stop, run);

        informer.HasSynced.Should().BeTrue();
        informer.Count.Should().Be(2);
        handler.Requests[0].PathAndQuery.Should().Be("/api/v1/namespaces/prod/pods?labelSelector=app%3Dweb&limit=500");
        handler.Requests[1].PathAndQuery.Should().Be(
            "/api/v1/namespaces/prod/pods?watch=true&resourceVersion=10&allowWatchBookmarks=true&timeoutSeconds=300&labelSelector=app%3Dweb");
    }

    [Fact]
    public async Task RunAsync_WatchEvents_UpdateCacheAndRaiseChanges()
    {
        var handler = new FakeKubeApiHandler(request => request.IsWatch
            ? Events(ScriptedStream.Ending.Hang, Event("MODIFIED", Pod("a", "11", replicas: 3)), Event("ADDED", Pod("c", "12")), Event("DELETED", Pod("b", "13")))
            : List("10", Pod("a", "5"), Pod("b", "6")));
        var changes = new List<(WatchEventType Type, string Key)>();
        var allSeen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var (informer, stop, run) = Start(handler, configure: i => i.Changed += (_, e) =>
        {
            lock (changes)
            {
                changes.Add((e.Type, e.Key));
                if (changes.Count == 5)
                {
                    allSeen.SetResult();
                }
            }
        });

        await allSeen.Task.WaitAsync(TestTimeout);
        await Stop(stop, run);

        changes.Should().Equal(
            (WatchEventType.Added, "prod/a"),
            (WatchEventType.Added, "prod/b"),
            (WatchEventType.Modified, "prod/a"),
            (WatchEventType.Added, "prod/c"),
            (WatchEventType.Deleted, "prod/b"));
        informer.TryGet("prod", "a", out var a).Should().BeTrue();
        a!["spec"]!["replicas"]!.GetValue<int>().Should().Be(3);
        informer.TryGet("prod", "b", out _).Should().BeFalse();
        informer.List().Select(KubernetesObject.GetName).Should().BeEquivalentTo(["a", "c"]);
        informer.LastResourceVersion.Should().Be("13");
    }

    [Fact]
    public async Task RunAsync_ConnectionDrops_ResumesFromLastSeenResourceVersionWithoutRelisting()
    {
        var handler = new FakeKubeApiHandler((request, index) => Task.FromResult(request.IsWatch
            ? index == 1
                ? Events(ScriptedStream.Ending.Drop, Event("MODIFIED", Pod("a", "11")), Event("BOOKMARK", Bookmark("15")))
                : Hang()
            : List("10", Pod("a", "5"))));
        var (informer, stop, run) = Start(handler);

        await WaitForRequests(handler, 3);
        await Stop(stop, run);

        handler.Requests.Count(r => !r.IsWatch).Should().Be(1);
        handler.Requests[2].Query.Should().Contain("resourceVersion=15&");
        informer.LastResourceVersion.Should().Be("15");
    }

    [Fact]
    public async Task RunAsync_ExpiredErrorEvent_RelistsAndSynthesizesDeletions()
    {
        var lists = 0;
        var handler = new FakeKubeApiHandler(request =>
        {
            if (!request.IsWatch)
            {
                return Interlocked.Increment(ref lists) == 1 ? List("10", Pod("a", "5"), Pod("b", "6")) : List("30", Pod("a", "25"));
            }

            return request.Query.Contains("resourceVersion=10&", StringComparison.Ordinal)
                ? Events(ScriptedStream.Ending.Hang, ExpiredEvent())
                : Hang();
        });
        var deleted = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var (informer, stop, run) = Start(handler, configure: i => i.Changed += (_, e) =>
        {
            if (e.Type == WatchEventType.Deleted)
            {
                deleted.TrySetResult(e.Key);
            }
        });

        var key = await deleted.Task.WaitAsync(TestTimeout);
        await WaitForRequests(handler, 4);
        await Stop(stop, run);

        key.Should().Be("prod/b");
        handler.Requests.Select(r => r.IsWatch).Should().Equal(false, true, false, true);
        handler.Requests[3].Query.Should().Contain("resourceVersion=30&");
        informer.TryGet("prod", "a", out var a).Should().BeTrue();
        KubernetesObject.GetResourceVersion(a!).Should().Be("25");
    }

    [Fact]
    public async Task RunAsync_GoneOnWatchRequest_Relists()
    {
        var handler = new FakeKubeApiHandler((request, index) => Task.FromResult(request.IsWatch
            ? index == 1 ? FakeKubeApiHandler.Json(HttpStatusCode.Gone, StatusBodies.Expired) : Hang()
            : List("10", Pod("a", "5"))));
        var (_, stop, run) = Start(handler);

        await WaitForRequests(handler, 4);
        await Stop(stop, run);

        handler.Requests.Select(r => r.IsWatch).Should().Equal(false, true, false, true);
    }

    [Fact]
    public async Task RunAsync_ServerErrorDuringList_BacksOffAndListsAgain()
    {
        var logs = new ListLoggerFactory();
        var handler = new FakeKubeApiHandler((request, index) => Task.FromResult(request.IsWatch
            ? Hang()
            : index == 0 ? FakeKubeApiHandler.Json(HttpStatusCode.Forbidden, StatusBodies.Forbidden) : List("10")));
        var (informer, stop, run) = Start(handler, logs);

        await informer.WaitForSyncAsync().WaitAsync(TestTimeout);
        await Stop(stop, run);

        handler.Requests.Take(2).Select(r => r.IsWatch).Should().Equal(false, false);
        logs.Entries.Should().Contain(e => e.EventId.Id == 3112 && e.Exception is KubernetesException);
    }

    [Fact]
    public async Task RunAsync_WatchOpenLongPastItsTimeout_ReconnectsFromLastResourceVersion()
    {
        var time = new ManualTimeProvider();
        var handler = new FakeKubeApiHandler((request, index) => Task.FromResult(request.IsWatch
            ? index == 1 ? Events(ScriptedStream.Ending.Hang, Event("MODIFIED", Pod("a", "11"))) : Hang()
            : List("10", Pod("a", "5"))));
        var (_, stop, run) = Start(handler, time: time);

        await WaitForRequests(handler, 2);
        await time.WaitForTimerAsync(due => due == TimeSpan.FromMinutes(6));
        var beforeDeadline = handler.Requests.Count;
        time.Advance(TimeSpan.FromMinutes(6));
        await WaitForRequests(handler, 3);
        await Stop(stop, run);

        beforeDeadline.Should().Be(2);
        handler.Requests[2].IsWatch.Should().BeTrue();
        handler.Requests[2].Query.Should().Contain("resourceVersion=11&");
    }

    [Fact]
    public async Task TryGet_ReturnsCopy_MutationsDoNotReachCache()
    {
        var handler = new FakeKubeApiHandler(request => request.IsWatch ? Hang() : List("10", Pod("a", "5", replicas: 1)));
        var (informer, stop, run) = Start(handler);
        await informer.WaitForSyncAsync().WaitAsync(TestTimeout);

        informer.TryGet("prod", "a", out var copy).Should().BeTrue();
        copy!["spec"]!["replicas"] = 99;
        informer.List()[0]["spec"]!["replicas"] = 98;
        await Stop(stop, run);

        informer.TryGet("prod", "a", out var again).Should().BeTrue();
        again!["spec"]!["replicas"]!.GetValue<int>().Should().Be(1);
        again["kind"]!.GetValue<string>().Should().Be("Pod", "list items get the kind that the list omits");
    }

    [Fact]
    public void HasSynced_BeforeRun_IsFalse()
    {
        var informer = new KubernetesInformer(TestClients.Create(new FakeKubeApiHandler(_ => List("1"))), ResourceType.Pods, "prod");

        informer.HasSynced.Should().BeFalse();
        informer.TryGet("prod", "a", out _).Should().BeFalse();
    }

    [Fact]
    public void Constructor_InvalidOptions_ThrowsNamingProperties()
    {
        var options = new KubernetesInformerOptions { PageSize = 0, MinBackoff = TimeSpan.FromSeconds(10), MaxBackoff = TimeSpan.FromSeconds(1) };

        var act = () => new KubernetesInformer(TestClients.Create(new FakeKubeApiHandler(_ => List("1"))), ResourceType.Pods, "prod", options);

        act.Should().Throw<ArgumentException>().Which.Message.Should()
            .Contain("PageSize: must be at least 1").And.Contain("MaxBackoff: must not be less than MinBackoff");
    }

    private static (KubernetesInformer Informer, CancellationTokenSource Stop, Task Run) Start(
        FakeKubeApiHandler handler,
        ListLoggerFactory? logs = null,
        Action<KubernetesInformer>? configure = null,
        TimeProvider? time = null)
    {
        var client = TestClients.Create(handler, options: TestClients.FastOptions(retries: 0));
        var informer = new KubernetesInformer(client, ResourceType.Pods, "prod", new KubernetesInformerOptions
        {
            LabelSelector = "app=web",
            MinBackoff = TimeSpan.Zero,
            MaxBackoff = TimeSpan.Zero,
            LoggerFactory = logs,
            TimeProvider = time,
        });
        configure?.Invoke(informer);
        var stop = new CancellationTokenSource();
        var run = Task.Run(() => informer.RunAsync(stop.Token));
        return (informer, stop, run);
    }

    private static async Task Stop(CancellationTokenSource stop, Task run)
    {
        await stop.CancelAsync();
        await run.WaitAsync(TestTimeout);
        stop.Dispose();
    }

    private static Task WaitForRequests(FakeKubeApiHandler handler, int count) => handler.WaitForRequestsAsync(count);

    private static JsonObject Pod(string name, string resourceVersion, int replicas = 1) => new()
    {
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "prod", ["resourceVersion"] = resourceVersion },
        ["spec"] = new JsonObject { ["replicas"] = replicas },
    };

    private static JsonObject Bookmark(string resourceVersion) => new()
    {
        ["kind"] = "Pod",
        ["apiVersion"] = "v1",
        ["metadata"] = new JsonObject { ["resourceVersion"] = resourceVersion },
    };

    private static string Event(string type, JsonObject obj)
    {
        if (type != "BOOKMARK")
        {
            obj["kind"] = "Pod";
            obj["apiVersion"] = "v1";
        }

        return new JsonObject { ["type"] = type, ["object"] = obj }.ToJsonString();
    }

    private static string ExpiredEvent() => """{"type":"ERROR","object":""" + StatusBodies.Expired + "}";

    private static HttpResponseMessage List(string resourceVersion, params JsonObject[] items) => FakeKubeApiHandler.Json(new JsonObject
    {
        ["kind"] = "PodList",
        ["apiVersion"] = "v1",
        ["metadata"] = new JsonObject { ["resourceVersion"] = resourceVersion },
        ["items"] = new JsonArray(items.Select(i => (JsonNode)i).ToArray()),
    }.ToJsonString());

    private static HttpResponseMessage Events(ScriptedStream.Ending ending, params string[] lines) =>
        FakeKubeApiHandler.Stream(new ScriptedStream(ScriptedStream.Lines(lines), ending));

    private static HttpResponseMessage Hang() => FakeKubeApiHandler.Stream(new ScriptedStream(string.Empty, ScriptedStream.Ending.Hang));
}
