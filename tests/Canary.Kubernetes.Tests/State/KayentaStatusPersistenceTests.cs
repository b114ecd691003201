using System.Text.Json.Nodes;
using Canary.Kubernetes.State;
using Canary.Kubernetes.Tests.TestSupport;
using Canary.Model;
using Canary.Statistics;

namespace Canary.Kubernetes.Tests.State;

/// <summary>The Kayenta judge's samples survive a restart through the Canary's status subresource.</summary>
public sealed class KayentaStatusPersistenceTests
{
    private static readonly CanaryId Id = new(TestObjects.Name, FakeCluster.Namespace);
    private static readonly DateTimeOffset Time = new(2025, 3, 4, 5, 6, 7, 890, TimeSpan.Zero);

    private static readonly CanaryStatus WithSamples = new()
    {
        Phase = CanaryPhase.Progressing,
        CanaryWeight = 20,
        Step = 4,
        FailedChecks = 1,
        LastTransitionTime = Time,
        Kayenta = new KayentaJudgeState
        {
            SampledUntil = Time.AddSeconds(-10),
            Judgements = 3,
            Metrics = ["error-rate", "latency-p50", "latency-p99.9"],
            Slices =
            [
                new KayentaSlice { Until = Time.AddSeconds(-20), Interval = 2, CanaryRequests = 12, ComparisonRequests = 230, Canary = [0.0833, null, null], Comparison = [0.0043, 48.25, 310.5] },
                new KayentaSlice { Until = Time.AddSeconds(-10), Interval = 3, CanaryRequests = 25, ComparisonRequests = 240, Canary = [0, 51, 295], Comparison = [1.0 / 3, 47.5, 301] },
            ],
            LastScore = 66.67,
            LastVerdict = JudgeVerdict.Marginal,
        },
    };

    [Fact]
    public async Task SaveAsync_ThenGetAsync_RoundTripsTheKayentaSamples()
    {
        await using var cluster = await FakeCluster.StartAsync();
        cluster.Seed(TestObjects.CanaryObject());
        var store = new KubernetesCanaryStatusStore(cluster.Client());

        await store.SaveAsync(Id, WithSamples, null, default);
        var read = await new KubernetesCanaryStatusStore(cluster.Client()).GetAsync(Id, default);

        read!.Status.Should().BeEquivalentTo(WithSamples, o => o.WithStrictOrdering());
    }

    [Fact]
    public void Write_KayentaSamples_UsesCamelCaseNamesAndTheVerdictsName()
    {
        var kayenta = CanaryStatusJson.Write(WithSamples)["kayenta"]!.AsObject();

        kayenta["judgements"]!.GetValue<int>().Should().Be(3);
        kayenta["lastVerdict"]!.GetValue<string>().Should().Be("Marginal");
        kayenta["slices"]![0]!["canary"]!.AsArray().Select(v => v?.GetValue<double>()).Should().Equal([0.0833, null, null]);
    }

    [Fact]
    public void Write_NoKayentaSamples_WritesNullSoThatAMergePatchClearsThem()
    {
        var status = CanaryStatusJson.Write(WithSamples with { Kayenta = null });

        status.ContainsKey("kayenta").Should().BeTrue();
        status["kayenta"].Should().BeNull();
    }

    [Fact]
    public void Read_KayentaOfTheWrongShape_NamesTheField()
    {
        var status = CanaryStatusJson.Write(WithSamples);
        status["kayenta"] = new JsonObject { ["slices"] = "many" };

        var read = () => CanaryStatusJson.Read(status);

        read.Should().Throw<FormatException>().WithMessage("status.kayenta: *");
    }
}
