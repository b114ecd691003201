using Canary.Model;

namespace Canary.Core.Tests.Model;

public class JudgeSpecLookIntervalTests
{
    [Fact]
    public void LookIntervalFor_NotSet_IsASixthOfTheInterval() =>
        new JudgeSpec().LookIntervalFor(TimeSpan.FromMinutes(1)).Should().Be(TimeSpan.FromSeconds(10));

    [Fact]
    public void LookIntervalFor_NotSetWithAShortInterval_IsAtLeastOneSecond() =>
        new JudgeSpec().LookIntervalFor(TimeSpan.FromSeconds(3)).Should().Be(TimeSpan.FromSeconds(1));

    [Fact]
    public void LookIntervalFor_Zero_IsTheInterval() =>
        new JudgeSpec { LookInterval = TimeSpan.Zero }.LookIntervalFor(TimeSpan.FromMinutes(1)).Should().Be(TimeSpan.FromMinutes(1));

    [Fact]
    public void LookIntervalFor_LongerThanTheInterval_IsTheInterval() =>
        new JudgeSpec { LookInterval = TimeSpan.FromMinutes(5) }.LookIntervalFor(TimeSpan.FromMinutes(1)).Should().Be(TimeSpan.FromMinutes(1));

    [Fact]
    public void LookIntervalFor_Set_IsTheSetValue() =>
        new JudgeSpec { LookInterval = TimeSpan.FromSeconds(15) }.LookIntervalFor(TimeSpan.FromMinutes(1)).Should().Be(TimeSpan.FromSeconds(15));
}
