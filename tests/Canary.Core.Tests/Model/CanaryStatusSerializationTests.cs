using System.Text.Json;
using Canary.Model;
using Canary.Statistics;

namespace Canary.Core.Tests.Model;

public sealed class CanaryStatusSerializationTests
{
    [Fact]
    public void Deserialize_SerializedSequentialEvidence_RestoresEveryField()
    {
        var status = CanaryStatus.New with
        {
            Phase = CanaryPhase.Progressing,
            Sequential = new SequentialTestState
            {
                SampledUntil = new DateTimeOffset(2026, 5, 1, 12, 0, 0, TimeSpan.Zero),
                Intervals = 3,
                CanaryRequests = 300,
                CanaryErrors = 4,
                ComparisonRequests = 5700,
                ComparisonErrors = 28,
                MaxErrorRatio = 1.5,
                MaxLatencyRatio = 1.2,
                ErrorRollbackLogRatios = [.. Enumerable.Range(0, 16).Select(i => -0.25 * i)],
                ErrorPromotionLogRatios = [.. Enumerable.Range(0, 16).Select(i => 0.125 * i)],
                Latency =
                [
                    new LatencyQuantileState
                    {
                        Quantile = 0.99,
                        ThresholdMilliseconds = 121.5,
                        CanarySlow = 2,
                        CanaryTested = 200,
                        ComparisonSlow = 50,
                        ComparisonTested = 3800,
                        RollbackLogRatios = [.. Enumerable.Range(0, 16).Select(i => i / 3.0)],
                        PromotionLogRatios = [.. Enumerable.Range(0, 16).Select(i => -i / 7.0)],
                    },
                    new LatencyQuantileState { Quantile = 0.5 },
                ],
                Verdict = SequentialVerdict.Accept,
            },
        };

        var restored = JsonSerializer.Deserialize<CanaryStatus>(JsonSerializer.Serialize(status));

        restored!.Sequential.Should().BeEquivalentTo(status.Sequential, o => o.ComparingRecordsByMembers().WithStrictOrdering());
        restored.Phase.Should().Be(CanaryPhase.Progressing);
    }
}
