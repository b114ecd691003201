using System.CommandLine;
using System.Globalization;
using System.Text.RegularExpressions;
using Canary.Cli.Commands;
using Canary.Cli.Demo;
using Canary.Events;
using Canary.Model;

namespace Canary.Cli.Tests.Demo;

/// <summary>
/// <c>canary demo --fast</c>: the same demo on virtual time, at Flagger's pace (a step a minute), where the demo moves its own clock
/// one second at a time once each second's real requests are answered.
/// </summary>
[Collection(LiveRollouts.Name)]
public sealed partial class DemoVirtualTimeTests
{
    private const double Sigmas = 5;
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    [Theory]
    [InlineData("nginx")]
    [InlineData("gatewayapi")]
    public async Task Demo_Fast_PromotesV2AndRollsBackV3AtAStepAMinuteOfVirtualTime(string provider)
    {
        var run = await CliRun.RunAsync("demo", "--fast", "--provider", provider).WaitAsync(Timeout);

        run.ExitCode.Should().Be(ExitCodes.Success, run.Output + run.Error);
        run.Output.Should().Contain("on virtual time")
            .And.Contain("every 1m: success rate >= 99%, P99 <= 500 ms")
            .And.Contain("== 2.0.0: promoted ==")
            .And.Contain("== 3.0.0: rolled back ==")
            .And.Contain("Result: 2.0.0 promoted, 3.0.0 rolled back, as expected.");
        run.Output.Should().MatchRegex(@"\[  1m01s\] info  Advance podinfo\.test canary weight 10", "the first step comes a virtual minute after the release")
            .And.MatchRegex(@"\n  2\.0\.0 +promoted +5 +50% +0/5 +8m ")
            .And.MatchRegex(@"\n  3\.0\.0 +rolled back +1 +10% +5/5 +7m ")
            .And.MatchRegex(@"\n  virtual time 15m\d\ds, wall time \d+s\n");
    }

    [Fact]
    public async Task Demo_Fast_TheProxysP99ShowsTheSlowerV3()
    {
        var run = await CliRun.RunAsync("demo", "--fast").WaitAsync(Timeout);

        run.ExitCode.Should().Be(ExitCodes.Success, run.Output + run.Error);
        var promoted = run.Output.IndexOf("== 2.0.0: promoted ==", StringComparison.Ordinal);
        var v2 = Durations(run.Output[..promoted]);
        var v3 = Durations(run.Output[promoted..]);
        v2.Should().NotBeEmpty().And.OnlyContain(ms => ms <= DemoVersions.Healthy.MedianLatency.TotalMilliseconds + DemoVersions.Healthy.LatencyJitter.TotalMilliseconds);
        v3.Should().NotBeEmpty().And.OnlyContain(ms => ms > DemoVersions.Faulty.MedianLatency.TotalMilliseconds, "v3's pods take 120 ms ± 60 ms, which the proxy records as their duration");
    }

    [Fact]
    public async Task Rollouts_OnVirtualTime_SendTheCanaryItsWeightOfRealRequestsWithinFiveSigma()
    {
        await using var demo = await DemoEnvironment.StartAsync(new DemoEnvironmentOptions { VirtualTime = true });
        var recorder = new Recorder(demo);
        await using var rollouts = new DemoRollouts(demo, demo.CreateCanary(), recorder.OnEvent);
        using var timeout = new CancellationTokenSource(Timeout);

        await rollouts.InitializeAsync(timeout.Token);
        recorder.Releasing(primary: DemoVersions.V1, canary: DemoVersions.V2);
        var promoted = await rollouts.RolloutAsync(DemoVersions.V2, timeout.Token);
        recorder.Releasing(primary: DemoVersions.V2, canary: DemoVersions.V3);
        var rolledBack = await rollouts.RolloutAsync(DemoVersions.V3, timeout.Token);
        var intervals = recorder.SteadyIntervals();

        demo.Clock.Should().NotBeNull();
        demo.Clock!.Elapsed.Should().BeGreaterThan(TimeSpan.FromMinutes(10), "Flagger's pace takes minutes of virtual time");
        promoted!.Phase.Should().Be(CanaryPhase.Succeeded);
        rolledBack!.Phase.Should().Be(CanaryPhase.Failed);
        intervals.Select(i => (i.Canary, i.Weight)).Should().Equal(
            [(DemoVersions.V2, 10), (DemoVersions.V2, 20), (DemoVersions.V2, 30), (DemoVersions.V2, 40), (DemoVersions.V2, 50), (DemoVersions.V3, 10)]);
        foreach (var interval in intervals)
        {
            var n = interval.CanaryAnswers + interval.PrimaryAnswers;
            var w = interval.Weight / 100.0;
            var share = (double)interval.CanaryAnswers / n;
            var tolerance = Sigmas * Math.Sqrt(w * (1 - w) / n);
            var what = string.Create(
                CultureInfo.InvariantCulture,
                $"{interval.Canary} at {interval.Weight}%: {interval.CanaryAnswers} of {n} requests ({share:P1}), allowed {w:P0} ± {tolerance:P1}");
            n.Should().BeGreaterThanOrEqualTo(50 * 59, "a virtual minute of 50 requests a second: {0}", what);
            interval.OtherAnswers.Should().Be(0, what);
            Math.Abs(share - w).Should().BeLessThanOrEqualTo(tolerance, what);
        }
    }

    [Fact]
    public async Task Demo_FastWithPrometheus_ExitsTwoSayingPrometheusRunsOnRealTime()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var root = new RootCommand { DemoCommand.Create(output, error, () => "/usr/bin/prometheus") };

        var exitCode = await root.Parse(["demo", "--fast", "--prometheus"]).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });

        exitCode.Should().Be(ExitCodes.InvalidInput);
        error.ToString().Should().StartWith("--fast with --prometheus: a real Prometheus scrapes on real time");
        output.ToString().Should().BeEmpty("nothing starts");
    }

    [Fact]
    public void Validate_VirtualTimeWithAClock_NamesTheTimeProvider()
    {
        var options = new DemoEnvironmentOptions { VirtualTime = true, TimeProvider = TimeProvider.System };

        options.Validate().Should().ContainSingle().Which.Path.Should().Be(nameof(DemoEnvironmentOptions.TimeProvider));
    }

    private static List<double> Durations(string output) =>
        RequestDuration().Matches(output).Select(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToList();

    [GeneratedRegex(@"request duration ([\d.]+)ms is within")]
    private static partial Regex RequestDuration();

    /// <summary>
    /// The users' answers at each event of the engine. On virtual time no request is sent while the engine works, so the answers at
    /// a step are exactly those before it, and those at the last check before the engine acts again exactly those of that weight.
    /// </summary>
    private sealed class Recorder(DemoEnvironment demo)
    {
        private readonly List<(CanaryEvent Event, (string Primary, string Canary) Release, IReadOnlyDictionary<string, VersionCount> Answers)> _marks = [];
        private (string Primary, string Canary) _release = (DemoVersions.V1, DemoVersions.V1);

        public void Releasing(string primary, string canary) => _release = (primary, canary);

        public void OnEvent(CanaryEvent canaryEvent)
        {
            lock (_marks)
            {
                _marks.Add((canaryEvent, _release, demo.UserTraffic.ByVersion));
            }
        }

        public List<Interval> SteadyIntervals()
        {
            var intervals = new List<Interval>();
            for (var i = 0; i < _marks.Count; i++)
            {
                if (_marks[i].Event.Type != CanaryEventType.WeightAdvanced)
                {
                    continue;
                }

                var last = i;
                while (last + 1 < _marks.Count && _marks[last + 1].Event.Type is CanaryEventType.CheckPassed or CanaryEventType.CheckFailed or CanaryEventType.CheckHeld)
                {
                    last++;
                }

                if (last == i)
                {
                    continue;
                }

                var (primary, canary) = _marks[i].Release;
                var (start, end) = (_marks[i].Answers, _marks[last].Answers);
                var others = end.Keys.Where(v => v != primary && v != canary).Sum(v => Delta(start, end, v));
                intervals.Add(new Interval(canary, _marks[i].Event.Weight, Delta(start, end, canary), Delta(start, end, primary), others));
            }

            return intervals;
        }

        private static long Delta(IReadOnlyDictionary<string, VersionCount> start, IReadOnlyDictionary<string, VersionCount> end, string version) =>
            (end.TryGetValue(version, out var after) ? after.Total : 0) - (start.TryGetValue(version, out var before) ? before.Total : 0);
    }

    private sealed record Interval(string Canary, int Weight, long CanaryAnswers, long PrimaryAnswers, long OtherAnswers);
}
