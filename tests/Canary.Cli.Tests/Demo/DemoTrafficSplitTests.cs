using System.Collections.Concurrent;
using System.Globalization;
using Canary.Cli.Demo;
using Canary.Events;
using Canary.Model;

namespace Canary.Cli.Tests.Demo;

/// <summary>
/// The demo's scenario (both rollouts at the fast pace) judged by where the users' real requests went: while the engine holds the
/// canary at weight w, the share of the requests answered by the canary's version is w within five binomial standard deviations,
/// |share − w| ≤ 5·√(w(1−w)/n) for the n requests answered in that interval (a correct split fails that with probability under one
/// in a million); and over all those intervals together, the canary's count is within five standard deviations of its expectation,
/// |Σ(cᵢ − nᵢwᵢ)| ≤ 5·√Σnᵢwᵢ(1−wᵢ), a tighter test of the same split. Each answer names the version of the pod that served it, so the requests are counted where they arrived, not
/// inferred from the weight.
/// </summary>
/// <remarks>
/// An interval runs from 250 ms after the <c>WeightAdvanced</c> event (so that requests routed under the previous weight, at most
/// 180 ms long, have been answered and the proxy has seen the new object) to the last check before the engine's next action
/// (taken before the router is called again).
/// </remarks>
[Collection(LiveRollouts.Name)]
public sealed class DemoTrafficSplitTests
{
    private const double Sigmas = 5;
    private const int MinRequests = 30;
    private static readonly TimeSpan Guard = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    [Theory]
    [InlineData("nginx")]
    [InlineData("gatewayapi")]
    public async Task Rollouts_AtEachSteadyWeight_SendTheCanaryThatShareOfRealRequestsWithinFiveSigma(string provider)
    {
        await using var demo = await DemoEnvironment.StartAsync(new DemoEnvironmentOptions { Provider = provider });
        using var recorder = new SplitRecorder(demo);
        await using var rollouts = new DemoRollouts(demo, demo.CreateCanary(fast: true), recorder.OnEvent);
        using var timeout = new CancellationTokenSource(Timeout);

        await rollouts.InitializeAsync(timeout.Token);
        recorder.Releasing(primary: DemoVersions.V1, canary: DemoVersions.V2);
        var promoted = await rollouts.RolloutAsync(DemoVersions.V2, timeout.Token);
        recorder.Releasing(primary: DemoVersions.V2, canary: DemoVersions.V3);
        var rolledBack = await rollouts.RolloutAsync(DemoVersions.V3, timeout.Token);
        var intervals = recorder.SteadyIntervals();

        promoted!.Phase.Should().Be(CanaryPhase.Succeeded);
        rolledBack!.Phase.Should().Be(CanaryPhase.Failed);
        intervals.Select(i => (i.Canary, i.Weight)).Should().Equal(
            [(DemoVersions.V2, 25), (DemoVersions.V2, 50), (DemoVersions.V3, 25)],
            "v2 steps to 25% and 50%, v3 stays at 25% until it is rolled back");
        foreach (var interval in intervals)
        {
            var n = interval.CanaryAnswers + interval.PrimaryAnswers;
            var w = interval.Weight / 100.0;
            var share = (double)interval.CanaryAnswers / n;
            var tolerance = Sigmas * Math.Sqrt(w * (1 - w) / n);
            var what = string.Create(
                CultureInfo.InvariantCulture,
                $"{interval.Canary} at {interval.Weight}%: {interval.CanaryAnswers} of {n} requests ({share:P1}), allowed {w:P0} ± {tolerance:P1}");
            n.Should().BeGreaterThanOrEqualTo(MinRequests, what);
            interval.OtherAnswers.Should().Be(0, "only the primary and the canary serve while the canary is analysed: {0}", what);
            Math.Abs(share - w).Should().BeLessThanOrEqualTo(tolerance, what);
        }

        var excess = intervals.Sum(i => i.CanaryAnswers - (i.CanaryAnswers + i.PrimaryAnswers) * i.Weight / 100.0);
        var sigma = Math.Sqrt(intervals.Sum(i => (i.CanaryAnswers + i.PrimaryAnswers) * (i.Weight / 100.0) * (1 - (i.Weight / 100.0))));
        Math.Abs(excess).Should().BeLessThanOrEqualTo(Sigmas * sigma, "over all intervals the canary answered {0:0.#} requests more than its weights expect", excess);
    }

    /// <summary>What the rollout's users got so far, taken at each event of the engine and 250 ms after each step.</summary>
    private sealed class SplitRecorder(DemoEnvironment demo) : IDisposable
    {
        private readonly ConcurrentQueue<Mark> _marks = new();
        private readonly ConcurrentDictionary<int, IReadOnlyDictionary<string, VersionCount>> _afterGuard = new();
        private readonly List<ITimer> _timers = [];
        private (string Primary, string Canary) _release = (DemoVersions.V1, DemoVersions.V1);
        private int _sequence;

        public void Releasing(string primary, string canary) => _release = (primary, canary);

        public void Dispose()
        {
            lock (_timers)
            {
                _timers.ForEach(timer => timer.Dispose());
            }
        }

        public void OnEvent(CanaryEvent canaryEvent)
        {
            var index = Interlocked.Increment(ref _sequence);
            _marks.Enqueue(new Mark(index, canaryEvent, _release, demo.UserTraffic.ByVersion));
            if (canaryEvent.Type == CanaryEventType.WeightAdvanced)
            {
                lock (_timers)
                {
                    _timers.Add(demo.TimeProvider.CreateTimer(_ => _afterGuard[index] = demo.UserTraffic.ByVersion, null, Guard, System.Threading.Timeout.InfiniteTimeSpan));
                }
            }
        }

        public List<Interval> SteadyIntervals()
        {
            var marks = _marks.OrderBy(m => m.Index).ToList();
            var intervals = new List<Interval>();
            for (var i = 0; i < marks.Count; i++)
            {
                if (marks[i].Event.Type != CanaryEventType.WeightAdvanced || !_afterGuard.TryGetValue(marks[i].Index, out var start))
                {
                    continue;
                }

                // The checks of the interval come before the engine acts again; the last of them closes it.
                var last = i;
                while (last + 1 < marks.Count && IsCheck(marks[last + 1].Event))
                {
                    last++;
                }

                if (last == i)
                {
                    continue;
                }

                var (primary, canary) = marks[i].Release;
                var end = marks[last].Answers;
                var others = end.Keys.Where(v => v != primary && v != canary).Sum(v => Delta(start, end, v));
                intervals.Add(new Interval(canary, marks[i].Event.Weight, Delta(start, end, canary), Delta(start, end, primary), others));
            }

            return intervals;
        }

        private static bool IsCheck(CanaryEvent e) => e.Type is CanaryEventType.CheckPassed or CanaryEventType.CheckFailed or CanaryEventType.CheckHeld;

        private static long Delta(IReadOnlyDictionary<string, VersionCount> start, IReadOnlyDictionary<string, VersionCount> end, string version) =>
            (end.TryGetValue(version, out var after) ? after.Total : 0) - (start.TryGetValue(version, out var before) ? before.Total : 0);

        private sealed record Mark(int Index, CanaryEvent Event, (string Primary, string Canary) Release, IReadOnlyDictionary<string, VersionCount> Answers);
    }

    private sealed record Interval(string Canary, int Weight, long CanaryAnswers, long PrimaryAnswers, long OtherAnswers);
}
