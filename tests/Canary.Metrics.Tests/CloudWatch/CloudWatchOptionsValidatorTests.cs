using Canary.Metrics.CloudWatch;

namespace Canary.Metrics.Tests.CloudWatch;

public sealed class CloudWatchOptionsValidatorTests
{
    private static IEnumerable<string> Failures(CloudWatchOptions options)
    {
        var result = new CloudWatchOptionsValidator().Validate(null, options);
        return result.Failed ? result.Failures! : [];
    }

    [Fact]
    public void Validate_Empty_Succeeds()
    {
        new CloudWatchOptionsValidator().Validate(null, new CloudWatchOptions()).Succeeded.Should().BeTrue();
    }

    [Fact]
    public void Validate_RegionAndKeys_Succeed()
    {
        var options = new CloudWatchOptions { Region = "us-gov-west-1", AccessKeyId = "AKIA", SecretAccessKey = "s", SessionToken = "t" };

        new CloudWatchOptionsValidator().Validate(null, options).Succeeded.Should().BeTrue();
    }

    [Theory]
    [InlineData("Ireland")]
    [InlineData("eu-west")]
    [InlineData("monitoring.eu-west-1.amazonaws.com")]
    public void Validate_RegionNotARegion_NamesRegion(string region)
    {
        Failures(new CloudWatchOptions { Region = region }).Should().ContainSingle()
            .Which.Should().Be("CloudWatchOptions.Region must be an AWS region such as us-east-1 or eu-west-1.");
    }

    [Fact]
    public void Validate_SecretWithoutKeyId_NamesAccessKeyId()
    {
        var failure = Failures(new CloudWatchOptions { SecretAccessKey = "wJalrXUtnFEMI" }).Should().ContainSingle().Subject;

        failure.Should().Be("CloudWatchOptions.SecretAccessKey is set but AccessKeyId is not: signing needs both.").And.NotContain("wJalrXUtnFEMI");
    }

    [Fact]
    public void Validate_SessionTokenWithoutKeys_NamesSessionToken()
    {
        Failures(new CloudWatchOptions { SessionToken = "t" }).Should().ContainSingle()
            .Which.Should().StartWith("CloudWatchOptions.SessionToken is set but AccessKeyId and SecretAccessKey are not");
    }

    [Fact]
    public void Validate_SecretWithLineBreak_NamesItWithoutEchoingIt()
    {
        Failures(new CloudWatchOptions { AccessKeyId = "AKIA", SecretAccessKey = "abc\n" }).Should().ContainSingle()
            .Which.Should().Be("CloudWatchOptions.SecretAccessKey must not contain whitespace, line breaks or control characters.");
    }

    [Fact]
    public void Validate_RelativeAddress_NamesAddress()
    {
        Failures(new CloudWatchOptions { Address = new Uri("/monitoring", UriKind.Relative) }).Should().ContainSingle()
            .Which.Should().StartWith("CloudWatchOptions.Address must be an absolute URL");
    }

    [Theory]
    [InlineData("eu-west-1", "https://monitoring.eu-west-1.amazonaws.com/")]
    [InlineData("cn-north-1", "https://monitoring.cn-north-1.amazonaws.com.cn/")]
    public void DefaultEndpoint_Region_IsMonitoringInThatRegion(string region, string endpoint)
    {
        CloudWatchOptions.DefaultEndpoint(region).Should().Be(new Uri(endpoint));
    }
}
