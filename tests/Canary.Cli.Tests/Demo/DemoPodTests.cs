using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Canary.Cli.Demo;

namespace Canary.Cli.Tests.Demo;

public sealed class DemoPodTests
{
    private static readonly DemoPodBehavior Instant = new(0, TimeSpan.Zero, TimeSpan.Zero);

    [Fact]
    public async Task Get_Root_AnswersJsonWithItsNameAndVersion()
    {
        await using var pod = await StartAsync(Instant);
        using var client = new HttpClient { BaseAddress = pod.Address };

        using var response = await client.GetAsync("/");
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/json");
        body["hostname"]!.GetValue<string>().Should().Be("podinfo-abc-1");
        body["version"]!.GetValue<string>().Should().Be("2.0.0");
    }

    [Fact]
    public async Task Get_Healthz_AnswersOkEvenWhenEveryRequestFails()
    {
        await using var pod = await StartAsync(new DemoPodBehavior(1, TimeSpan.Zero, TimeSpan.Zero));
        using var client = new HttpClient { BaseAddress = pod.Address };

        using var health = await client.GetAsync("/healthz");
        using var root = await client.GetAsync("/");

        health.StatusCode.Should().Be(HttpStatusCode.OK);
        root.StatusCode.Should().Be(HttpStatusCode.InternalServerError);
        JsonNode.Parse(await root.Content.ReadAsStringAsync())!["version"]!.GetValue<string>().Should().Be("2.0.0", "failures still name the version that failed");
    }

    [Fact]
    public async Task Get_ErrorRateThirtyPercent_FailsThatShareWithinFiveSigma()
    {
        const int Requests = 500;
        await using var pod = await StartAsync(new DemoPodBehavior(0.3, TimeSpan.Zero, TimeSpan.Zero));

        var statuses = await StatusesAsync(pod, Requests);

        var failures = statuses.Count(s => s == 500);
        failures.Should().BeCloseTo(150, (uint)Binomial.FiveSigma(Requests, 0.3));
        statuses.Should().OnlyContain(s => s == 200 || s == 500);
        pod.ErrorCount.Should().Be(failures);
        pod.RequestCount.Should().Be(Requests);
    }

    [Fact]
    public async Task Get_SameSeed_GivesTheSameSequenceOfAnswers()
    {
        var behavior = new DemoPodBehavior(0.5, TimeSpan.Zero, TimeSpan.Zero);
        await using var first = await StartAsync(behavior, seed: 42);
        await using var second = await StartAsync(behavior, seed: 42);

        var a = await StatusesAsync(first, 60);
        var b = await StatusesAsync(second, 60);

        a.Should().Equal(b);
        a.Should().Contain(500).And.Contain(200);
    }

    [Fact]
    public async Task Behavior_ChangedWhileRunning_AppliesToTheNextRequests()
    {
        await using var pod = await StartAsync(Instant);
        var before = await StatusesAsync(pod, 10);

        pod.Behavior = new DemoPodBehavior(1, TimeSpan.Zero, TimeSpan.Zero);
        var after = await StatusesAsync(pod, 10);

        before.Should().OnlyContain(s => s == 200);
        after.Should().OnlyContain(s => s == 500);
    }

    [Fact]
    public async Task Get_MedianLatencyWithJitter_NoRequestIsFasterThanMedianMinusJitter()
    {
        // Only a lower bound: a request can never be faster than the pod's delay, while an upper bound would time the machine.
        await using var pod = await StartAsync(new DemoPodBehavior(0, TimeSpan.FromMilliseconds(120), TimeSpan.FromMilliseconds(40)));
        using var client = new HttpClient { BaseAddress = pod.Address };
        await client.GetAsync("/healthz");

        var durations = new List<TimeSpan>();
        for (var i = 0; i < 8; i++)
        {
            var watch = Stopwatch.StartNew();
            using var response = await client.GetAsync("/");
            durations.Add(watch.Elapsed);
        }

        durations.Should().OnlyContain(d => d >= TimeSpan.FromMilliseconds(79));
    }

    [Theory]
    [InlineData(0.0, 80)]
    [InlineData(0.5, 100)]
    [InlineData(1.0, 120)]
    public void Draw_LatencyDraw_SpreadsUniformlyAroundTheMedian(double latencyDraw, int expectedMs)
    {
        var behavior = new DemoPodBehavior(0, TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(20));

        var (_, delay) = behavior.Draw(0.5, latencyDraw);

        delay.Should().Be(TimeSpan.FromMilliseconds(expectedMs));
    }

    [Fact]
    public void Draw_JitterAboveMedian_NeverGivesANegativeDelay()
    {
        var behavior = new DemoPodBehavior(0, TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(50));

        behavior.Draw(0, 0).Delay.Should().Be(TimeSpan.Zero);
    }

    [Fact]
    public void Validate_ErrorRateAboveOneAndNegativeLatency_NamesBothFields()
    {
        var errors = new DemoPodBehavior(1.5, TimeSpan.FromMilliseconds(-1), TimeSpan.Zero).Validate();

        errors.Select(e => e.Path).Should().BeEquivalentTo("ErrorRate", "MedianLatency");
    }

    private static async Task<DemoPod> StartAsync(DemoPodBehavior behavior, int seed = 1)
    {
        var pod = new DemoPod("podinfo-abc-1", "2.0.0", behavior, seed);
        await pod.StartAsync();
        return pod;
    }

    private static async Task<List<int>> StatusesAsync(DemoPod pod, int count)
    {
        using var client = new HttpClient { BaseAddress = pod.Address };
        var statuses = new List<int>();
        for (var i = 0; i < count; i++)
        {
            using var response = await client.GetAsync("/");
            statuses.Add((int)response.StatusCode);
        }

        return statuses;
    }
}
