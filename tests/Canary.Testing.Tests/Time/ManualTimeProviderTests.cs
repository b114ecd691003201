using Canary.Testing.Time;

namespace Canary.Testing.Tests.Time;

public class ManualTimeProviderTests
{
    [Fact]
    public void GetUtcNow_New_StartsAtTheDefaultStart()
    {
        new ManualTimeProvider().GetUtcNow().Should().Be(ManualTimeProvider.DefaultStart);
    }

    [Fact]
    public void Advance_MovesTheClockAndTheTimestamp()
    {
        var time = new ManualTimeProvider();
        var before = time.GetTimestamp();

        time.Advance(TimeSpan.FromMinutes(90));

        time.GetUtcNow().Should().Be(ManualTimeProvider.DefaultStart.AddMinutes(90));
        time.GetElapsedTime(before).Should().Be(TimeSpan.FromMinutes(90));
    }

    [Fact]
    public async Task Delay_CompletesOnlyWhenTheClockPassesIt()
    {
        var time = new ManualTimeProvider();
        var delay = Task.Delay(TimeSpan.FromSeconds(10), time);

        time.Advance(TimeSpan.FromSeconds(9));
        var earlyCompleted = delay.IsCompleted;
        time.Advance(TimeSpan.FromSeconds(1));
        await delay.WaitAsync(TimeSpan.FromSeconds(5));

        earlyCompleted.Should().BeFalse();
    }

    [Fact]
    public void Advance_PastSeveralTimers_FiresThemInDueOrderAtTheirDueTimes()
    {
        var time = new ManualTimeProvider();
        var fired = new List<(string Name, DateTimeOffset At)>();
        using var late = time.CreateTimer(_ => fired.Add(("late", time.GetUtcNow())), null, TimeSpan.FromSeconds(30), Timeout.InfiniteTimeSpan);
        using var early = time.CreateTimer(_ => fired.Add(("early", time.GetUtcNow())), null, TimeSpan.FromSeconds(10), Timeout.InfiniteTimeSpan);

        time.Advance(TimeSpan.FromMinutes(1));

        fired.Should().Equal(("early", ManualTimeProvider.DefaultStart.AddSeconds(10)), ("late", ManualTimeProvider.DefaultStart.AddSeconds(30)));
    }

    [Fact]
    public void Advance_PeriodicTimer_FiresOncePerPeriod()
    {
        var time = new ManualTimeProvider();
        var count = 0;
        using var timer = time.CreateTimer(_ => count++, null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));

        time.Advance(TimeSpan.FromSeconds(5));

        count.Should().Be(5);
    }

    [Fact]
    public void Advance_DisposedTimer_DoesNotFire()
    {
        var time = new ManualTimeProvider();
        var fired = false;
        var timer = time.CreateTimer(_ => fired = true, null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);
        timer.Dispose();

        time.Advance(TimeSpan.FromSeconds(2));

        fired.Should().BeFalse();
    }

    [Fact]
    public void Advance_Negative_Throws()
    {
        var advance = () => new ManualTimeProvider().Advance(TimeSpan.FromSeconds(-1));

        advance.Should().Throw<ArgumentOutOfRangeException>();
    }
}
