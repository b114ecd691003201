using System.Text.Json.Nodes;
using Canary.Kubernetes.Client;
using Canary.Kubernetes.State;
using Canary.Kubernetes.Tests.TestSupport;
using Canary.Model;
using Canary.State;

namespace Canary.Kubernetes.Tests.State;

public sealed class KubernetesCanaryStatusStoreTests
{
    private static readonly CanaryId Id = new(TestObjects.Name, FakeCluster.Namespace);
    private static readonly DateTimeOffset Time = new(2025, 3, 4, 5, 6, 7, 890, TimeSpan.Zero);

    /// <summary>A status with every field set to something other than its default.</summary>
    private static readonly CanaryStatus Full = new()
    {
        Phase = CanaryPhase.WaitingPromotion,
        CanaryWeight = 35,
        Step = 7,
        FailedChecks = 2,
        Iterations = 4,
        Mirrored = true,
        LastAppliedSpec = "0123456789abcdef",
        LastPromotedSpec = "fedcba9876543210",
        LastTransitionTime = Time,
        NotReadySince = Time.AddSeconds(-30.5),
        NoDataIntervals = new Dictionary<string, int> { ["request-success-rate"] = 2, ["latency"] = 1 },
        Sequential = new SequentialTestState
        {
            SampledUntil = Time.AddMinutes(-1),
            Intervals = 6,
            CanaryRequests = 1200,
            CanaryErrors = 7,
            ComparisonRequests = 11800,
            ComparisonErrors = 40,
            MaxErrorRatio = 1.5,
            MaxLatencyRatio = 1.25,
            ErrorRollbackLogRatios = [0.125, -3.75, double.NegativeInfinity],
            ErrorPromotionLogRatios = [1.0 / 3],
            Latency = [new LatencyQuantileState { Quantile = 0.99, ThresholdMilliseconds = 412.5, CanarySlow = 3, CanaryTested = 900, ComparisonSlow = 20, ComparisonTested = 9000, RollbackLogRatios = [0.5], PromotionLogRatios = [-0.25] }],
            Verdict = Canary.Statistics.SequentialVerdict.Accept,
        },
        Paused = true,
        PendingCommand = new CanaryCommandRequest(CanaryCommand.Promote, "release train", Time.AddTicks(1234567)),
        Message = "Halt podinfo.test advancement waiting for promotion approval gate",
    };

    [Fact]
    public async Task SaveAsync_ThenGetAsync_RoundTripsEveryField()
    {
        await using var cluster = await FakeCluster.StartAsync();
        cluster.Seed(TestObjects.CanaryObject());
        var store = new KubernetesCanaryStatusStore(cluster.Client());

        var saved = await store.SaveAsync(Id, Full, null, default);
        var read = await new KubernetesCanaryStatusStore(cluster.Client()).GetAsync(Id, default);

        read!.Version.Should().Be(saved.Version);
        read.Status.Should().BeEquivalentTo(Full);
    }

    [Fact]
    public async Task SaveAsync_Status_WritesFlaggersFieldsAndAPromotedCondition()
    {
        await using var cluster = await FakeCluster.StartAsync();
        cluster.Seed(TestObjects.CanaryObject());
        var store = new KubernetesCanaryStatusStore(cluster.Client());

        await store.SaveAsync(Id, Full with { Phase = CanaryPhase.Failed, PendingCommand = null }, null, default);

        var status = cluster.Get("canary.dev/v1", "Canary", TestObjects.Name)!["status"]!;
        status["phase"]!.GetValue<string>().Should().Be("Failed");
        TestObjects.Number(status["canaryWeight"]).Should().Be(35);
        TestObjects.Number(status["failedChecks"]).Should().Be(2);
        TestObjects.Number(status["iterations"]).Should().Be(4);
        status["lastAppliedSpec"]!.GetValue<string>().Should().Be("0123456789abcdef");
        status["lastTransitionTime"]!.GetValue<string>().Should().Be("2025-03-04T05:06:07.89Z");
        Json.Of(status["conditions"]).Should().Be(Json.Of(new JsonArray(new JsonObject
        {
            ["type"] = "Promoted",
            ["status"] = "False",
            ["lastUpdateTime"] = "2025-03-04T05:06:07.89Z",
            ["lastTransitionTime"] = "2025-03-04T05:06:07.89Z",
            ["reason"] = "Failed",
            ["message"] = "Canary analysis failed, Deployment scaled to zero.",
        })));
    }

    [Fact]
    public async Task SaveAsync_OptionalFieldsCleared_RemovesThemFromTheObject()
    {
        await using var cluster = await FakeCluster.StartAsync();
        cluster.Seed(TestObjects.CanaryObject());
        var store = new KubernetesCanaryStatusStore(cluster.Client());
        var first = await store.SaveAsync(Id, Full, null, default);

        await store.SaveAsync(Id, Full with { NotReadySince = null, PendingCommand = null, Message = null, Sequential = null, NoDataIntervals = new Dictionary<string, int>() }, first.Version, default);

        var status = cluster.Get("canary.dev/v1", "Canary", TestObjects.Name)!["status"]!.AsObject();
        status.ContainsKey("notReadySince").Should().BeFalse();
        status.ContainsKey("pendingCommand").Should().BeFalse();
        status.ContainsKey("message").Should().BeFalse();
        status.ContainsKey("sequential").Should().BeFalse();
        Json.Of(status["noDataIntervals"]).Should().Be("[]");
    }

    [Fact]
    public async Task SaveAsync_StaleVersion_ThrowsConflict()
    {
        await using var cluster = await FakeCluster.StartAsync();
        cluster.Seed(TestObjects.CanaryObject());
        var store = new KubernetesCanaryStatusStore(cluster.Client());
        var first = await store.SaveAsync(Id, Full, null, default);
        await new KubernetesCanaryStatusStore(cluster.Client()).SaveAsync(Id, Full with { CanaryWeight = 40 }, first.Version, default);

        var act = async () => await store.SaveAsync(Id, Full with { CanaryWeight = 45 }, first.Version, default);

        await act.Should().ThrowAsync<CanaryStatusConflictException>();
        (await store.GetAsync(Id, default))!.Status.CanaryWeight.Should().Be(40);
    }

    [Fact]
    public async Task SaveAsync_NeverSavedButAnotherWriterSavedFirst_ThrowsConflict()
    {
        await using var cluster = await FakeCluster.StartAsync();
        cluster.Seed(TestObjects.CanaryObject());
        await new KubernetesCanaryStatusStore(cluster.Client()).SaveAsync(Id, Full, null, default);

        var act = async () => await new KubernetesCanaryStatusStore(cluster.Client()).SaveAsync(Id, CanaryStatus.New, null, default);

        await act.Should().ThrowAsync<CanaryStatusConflictException>();
    }

    [Fact]
    public async Task SaveAsync_OnlyTheSpecChangedSinceTheRead_SavesOverTheNewVersion()
    {
        await using var cluster = await FakeCluster.StartAsync();
        cluster.Seed(TestObjects.CanaryObject());
        var client = cluster.Client();
        var store = new KubernetesCanaryStatusStore(client);
        await store.SaveAsync(Id, Full, null, default);
        var read = await store.GetAsync(Id, default);
        await client.PatchAsync(CanaryResourceTypes.Canary(), Id.Namespace, Id.Name,
            KubernetesPatch.Merge(new JsonObject { ["spec"] = new JsonObject { ["skipAnalysis"] = true } }));

        var saved = await store.SaveAsync(Id, Full with { CanaryWeight = 40 }, read!.Version, default);

        saved.Version.Should().NotBe(read.Version);
        (await store.GetAsync(Id, default))!.Status.CanaryWeight.Should().Be(40);
        cluster.Get("canary.dev/v1", "Canary", TestObjects.Name)!["spec"]!["skipAnalysis"]!.GetValue<bool>().Should().BeTrue();
    }

    [Fact]
    public async Task SaveAsync_StatusFieldsOfOtherWriters_Survive()
    {
        await using var cluster = await FakeCluster.StartAsync();
        var canary = TestObjects.CanaryObject();
        canary["status"] = new JsonObject { ["trackedConfigs"] = new JsonObject { ["configmap/podinfo-config"] = "abc" } };
        cluster.Seed(canary);
        var store = new KubernetesCanaryStatusStore(cluster.Client());

        await store.SaveAsync(Id, Full, null, default);

        cluster.Get("canary.dev/v1", "Canary", TestObjects.Name)!["status"]!["trackedConfigs"]!["configmap/podinfo-config"]!.GetValue<string>().Should().Be("abc");
    }

    [Fact]
    public async Task GetAsync_ObjectWithoutStatus_ReturnsNull()
    {
        await using var cluster = await FakeCluster.StartAsync();
        cluster.Seed(TestObjects.CanaryObject());

        (await new KubernetesCanaryStatusStore(cluster.Client()).GetAsync(Id, default)).Should().BeNull();
    }

    [Fact]
    public async Task GetAsync_NoObject_ReturnsNull()
    {
        await using var cluster = await FakeCluster.StartAsync();

        (await new KubernetesCanaryStatusStore(cluster.Client()).GetAsync(Id, default)).Should().BeNull();
    }

    [Fact]
    public async Task SaveAsync_NoObject_ThrowsNamingIt()
    {
        await using var cluster = await FakeCluster.StartAsync();

        var act = async () => await new KubernetesCanaryStatusStore(cluster.Client()).SaveAsync(Id, Full, null, default);

        await act.Should().ThrowAsync<InvalidOperationException>().WithMessage("Canary test/podinfo (canary.dev/v1) does not exist*");
    }

    [Fact]
    public async Task GetAsync_FieldOfTheWrongType_ThrowsNamingTheField()
    {
        await using var cluster = await FakeCluster.StartAsync();
        var canary = TestObjects.CanaryObject();
        canary["status"] = new JsonObject { ["phase"] = "Progressing", ["canaryWeight"] = "ten" };
        cluster.Seed(canary);

        var act = async () => await new KubernetesCanaryStatusStore(cluster.Client()).GetAsync(Id, default);

        await act.Should().ThrowAsync<FormatException>().WithMessage("Canary test/podinfo: status.canaryWeight: must be an integer.");
    }

    [Fact]
    public async Task GetAsync_FlaggersCanary_ReadsTheStatusFlaggerWrote()
    {
        await using var cluster = await FakeCluster.StartAsync();
        var canary = TestObjects.CanaryObject("flagger.app/v1beta1");
        canary["status"] = new JsonObject
        {
            ["phase"] = "Succeeded",
            ["canaryWeight"] = 0,
            ["failedChecks"] = 1,
            ["iterations"] = 0,
            ["lastAppliedSpec"] = "5d8b9c7f4",
            ["lastPromotedSpec"] = "5d8b9c7f4",
            ["lastTransitionTime"] = "2024-05-06T07:08:09Z",
            ["trackedConfigs"] = new JsonObject(),
            ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Promoted", ["status"] = "True", ["reason"] = "Succeeded" }),
        };
        cluster.Seed(canary);
        var options = new KubernetesCanaryStatusStoreOptions { CanaryResource = CanaryResourceTypes.Canary(CanaryResourceTypes.FlaggerGroup, CanaryResourceTypes.FlaggerVersion) };

        var read = await new KubernetesCanaryStatusStore(cluster.Client(), options: options).GetAsync(Id, default);

        read!.Status.Should().BeEquivalentTo(new CanaryStatus
        {
            Phase = CanaryPhase.Succeeded,
            FailedChecks = 1,
            LastAppliedSpec = "5d8b9c7f4",
            LastPromotedSpec = "5d8b9c7f4",
            LastTransitionTime = new DateTimeOffset(2024, 5, 6, 7, 8, 9, TimeSpan.Zero),
        });
    }

    [Fact]
    public async Task GetAsync_ThroughACacheWithNothingChanged_MakesNoRequest()
    {
        await using var cluster = await FakeCluster.StartAsync();
        cluster.Seed(TestObjects.CanaryObject());
        var client = cluster.Client();
        var cache = cluster.Cache(client);
        var store = new KubernetesCanaryStatusStore(client, cache);
        var saved = await store.SaveAsync(Id, Full, null, default);
        (await store.GetAsync(Id, default))!.Version.Should().Be(saved.Version);
        await cache.WaitUntilCurrentAsync(readUnknown: true, new CancellationTokenSource(FakeCluster.Timeout).Token);
        var mark = cluster.Server.Requests.Count;

        var read = await store.GetAsync(Id, default);

        read!.Version.Should().Be(saved.Version);
        cluster.RequestsSince(mark).Should().BeEmpty();
    }
}
