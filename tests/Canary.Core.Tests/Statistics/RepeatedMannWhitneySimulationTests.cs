using Canary.Statistics;
using Xunit.Abstractions;

namespace Canary.Core.Tests.Statistics;

// Why the sequential tests exist: a fixed-sample test re-run after every interval on growing data gets 20 chances
// to cross its 5% line, so on A/A data it "finds" a regression far more often than 5% (Armitage, McPherson and
// Rowe 1969; Netflix measured about 70% with Mann–Whitney over 10,000 looks).
public sealed class RepeatedMannWhitneySimulationTests(ITestOutputHelper output)
{
    [Fact]
    public void PValue_RerunAfterEveryIntervalOnAAData_RejectsFarMoreThanAlpha()
    {
        const int runs = 1_000, intervals = 20, perInterval = 20;
        var random = new Random(11);
        var rejections = 0;
        for (var run = 0; run < runs; run++)
        {
            var canary = new List<double>();
            var baseline = new List<double>();
            for (var interval = 0; interval < intervals; interval++)
            {
                canary.AddRange(SeededSampling.LogNormal(random, perInterval, 100, 0.5));
                baseline.AddRange(SeededSampling.LogNormal(random, perInterval, 100, 0.5));
                if (MannWhitneyTest.PValue(canary, baseline) < 0.05)
                {
                    rejections++;
                    break;
                }
            }
        }

        var rate = rejections / (double)runs;
        output.WriteLine($"Mann–Whitney at α = 0.05 after each of {intervals} intervals on A/A data: {rate:P1} false alarms");
        rate.Should().BeGreaterThan(0.15);
    }

    [Fact]
    public void PValue_RunOnceOnAAData_RejectsAboutAlpha()
    {
        // The control: the same data judged once, at the end, stays near 5%, so the inflation above is the looking.
        const int runs = 1_000;
        var random = new Random(12);
        var rejections = 0;
        for (var run = 0; run < runs; run++)
        {
            var canary = SeededSampling.LogNormal(random, 400, 100, 0.5);
            var baseline = SeededSampling.LogNormal(random, 400, 100, 0.5);
            if (MannWhitneyTest.PValue(canary, baseline) < 0.05)
            {
                rejections++;
            }
        }

        var rate = rejections / (double)runs;
        output.WriteLine($"Mann–Whitney at α = 0.05 once on A/A data: {rate:P1} false alarms");
        rate.Should().BeInRange(0.03, 0.07);
    }
}
