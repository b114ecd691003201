using System.Text.Json.Nodes;
using Canary.Cli.Demo;
using Canary.Testing.Time;
using Microsoft.AspNetCore.Http;

namespace Canary.Cli.Tests.Demo;

public sealed class LoadGeneratorTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task RunAsync_MaxRequests_CountsEveryAnswerByTheVersionInItsBody()
    {
        await using var pod = new DemoPod("podinfo-x-1", "3.1.0", new DemoPodBehavior(1, TimeSpan.Zero, TimeSpan.Zero), 1);
        await pod.StartAsync();
        using var load = new LoadGenerator(pod.Address, new LoadGeneratorOptions { RequestsPerSecond = null, MaxRequests = 25 });

        var report = await load.RunAsync(new CancellationTokenSource(Timeout).Token);

        report.Sent.Should().Be(25);
        report.ByVersion.Should().ContainSingle().Which.Should().Be(new KeyValuePair<string, VersionCount>("3.1.0", new VersionCount(0, 25)));
        report.ByStatus.Should().Equal(new Dictionary<int, long> { [500] = 25 });
    }

    [Fact]
    public async Task RunAsync_ManyRequests_NeverHasMoreInFlightThanTheLimit()
    {
        var gauge = new Gauge();
        await using var server = await LoopbackServer.StartAsync(gauge.HandleAsync, TimeSpan.FromSeconds(2));
        using var load = new LoadGenerator(server.Addresses[0], new LoadGeneratorOptions { RequestsPerSecond = null, MaxConcurrency = 4, MaxRequests = 40 });

        var report = await load.RunAsync(new CancellationTokenSource(Timeout).Token);

        report.Answered.Should().Be(40);
        gauge.Max.Should().BeInRange(1, 4);
    }

    [Fact]
    public async Task RunAsync_TargetRate_StartsNoRequestBeforeItsTurnOnTheClock()
    {
        var clock = new ManualTimeProvider();
        var gauge = new Gauge(delay: TimeSpan.Zero);
        await using var server = await LoopbackServer.StartAsync(gauge.HandleAsync, TimeSpan.FromSeconds(2));
        using var load = new LoadGenerator(server.Addresses[0], new LoadGeneratorOptions { RequestsPerSecond = 10, MaxRequests = 5, TimeProvider = clock });

        var run = load.RunAsync(new CancellationTokenSource(Timeout).Token);
        await gauge.WaitForAsync(1);
        clock.Advance(TimeSpan.FromMilliseconds(250));
        var sentAfterQuarterSecond = load.Snapshot().Sent;
        for (var i = 0; i < 5 && !run.IsCompleted; i++)
        {
            clock.Advance(TimeSpan.FromMilliseconds(100));
            await gauge.WaitForAsync(Math.Min(5, 3 + i));
        }

        var report = await run.WaitAsync(Timeout);

        sentAfterQuarterSecond.Should().BeLessThanOrEqualTo(3, "at 10 per second, requests start at 0, 100 and 200 ms");
        report.Sent.Should().Be(5);
    }

    [Fact]
    public async Task RunAsync_Cancelled_ReturnsWithoutCountingAbandonedRequests()
    {
        var gauge = new Gauge(delay: TimeSpan.FromMinutes(5));
        await using var server = await LoopbackServer.StartAsync(gauge.HandleAsync, TimeSpan.FromSeconds(2));
        using var load = new LoadGenerator(server.Addresses[0], new LoadGeneratorOptions { RequestsPerSecond = null, MaxConcurrency = 3 });
        using var stop = new CancellationTokenSource();

        var run = load.RunAsync(stop.Token);
        await gauge.WaitForAsync(3);

        await stop.CancelAsync();
        var report = await run.WaitAsync(Timeout);

        report.Sent.Should().Be(3);
        report.Answered.Should().Be(0);
        report.TransportFailures.Should().Be(0);
    }

    [Fact]
    public async Task RunAsync_MarkedShare_SendsTheHeaderAndCookieOnAboutThatShare()
    {
        const int Requests = 400;
        var gauge = new Gauge(delay: TimeSpan.Zero);
        await using var server = await LoopbackServer.StartAsync(gauge.HandleAsync, TimeSpan.FromSeconds(2));
        var mark = new RequestMark(0.3, "X-Canary", "insider", "canary", "always");
        using var load = new LoadGenerator(server.Addresses[0], new LoadGeneratorOptions { RequestsPerSecond = null, MaxRequests = Requests, Mark = mark });

        var report = await load.RunAsync(new CancellationTokenSource(Timeout).Token);

        report.MarkedByVersion["marked"].Total.Should().BeCloseTo(120, (uint)Binomial.FiveSigma(Requests, 0.3));
        report.ByVersion["unmarked"].Total.Should().Be(Requests - report.MarkedByVersion["marked"].Total);
    }

    [Fact]
    public void Constructor_InvalidOptions_NamesEveryBadProperty()
    {
        var options = new LoadGeneratorOptions { RequestsPerSecond = 0, MaxConcurrency = 0, Path = "health", Mark = new RequestMark(2) };

        var act = () => new LoadGenerator(new Uri("http://127.0.0.1:1/"), options);

        act.Should().Throw<ArgumentException>()
            .Which.Message.Should().Contain("RequestsPerSecond").And.Contain("MaxConcurrency").And.Contain("Path").And.Contain("Mark.Fraction").And.Contain("Mark:");
    }

    /// <summary>An app that answers after a delay, tracking how many requests it holds at once; its version says whether the request was marked.</summary>
    private sealed class Gauge(TimeSpan? delay = null)
    {
        private readonly ChangeSignal _changed = new();
        private int _current;
        private int _max;
        private int _total;

        public int Max => Volatile.Read(ref _max);

        public async Task HandleAsync(HttpContext context)
        {
            var now = Interlocked.Increment(ref _current);
            int seen;
            while (now > (seen = Volatile.Read(ref _max)) && Interlocked.CompareExchange(ref _max, now, seen) != seen)
            {
            }

            Interlocked.Increment(ref _total);
            _changed.Notify();
            await Task.Delay(delay ?? TimeSpan.FromMilliseconds(20), context.RequestAborted);
            Interlocked.Decrement(ref _current);
            var marked = context.Request.Headers["X-Canary"] == "insider" && context.Request.Cookies["canary"] == "always";
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(new JsonObject { ["version"] = marked ? "marked" : "unmarked" }.ToJsonString());
        }

        public Task WaitForAsync(int requests) =>
            _changed.WaitUntilAsync(() => Volatile.Read(ref _total) >= requests, new CancellationTokenSource(Timeout).Token);
    }
}
