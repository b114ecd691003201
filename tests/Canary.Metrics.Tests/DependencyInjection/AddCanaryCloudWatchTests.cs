using Canary.Analysis;
using Canary.Metrics.CloudWatch;
using Canary.Metrics.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Canary.Metrics.Tests.DependencyInjection;

public sealed class AddCanaryCloudWatchTests
{
    [Fact]
    public void AddCanaryCloudWatch_ValidOptions_RegistersProvider()
    {
        var services = new ServiceCollection().AddCanaryCloudWatch(o => o.Region = "eu-west-1");
        using var provider = services.BuildServiceProvider();

        provider.GetServices<IMetricProvider>().Should().ContainSingle()
            .Which.Should().BeOfType<CloudWatchMetricProvider>().Which.Name.Should().Be("cloudwatch");
    }

    [Fact]
    public void AddCanaryCloudWatch_InvalidOptions_FailsStartupValidation()
    {
        var services = new ServiceCollection().AddCanaryCloudWatch(o => (o.Region, o.AccessKeyId) = ("Europe", "AKIA"));
        using var provider = services.BuildServiceProvider();

        var act = () => provider.GetRequiredService<IStartupValidator>().Validate();

        act.Should().Throw<OptionsValidationException>()
            .Which.Failures.Should().Contain("CloudWatchOptions.Region must be an AWS region such as us-east-1 or eu-west-1.")
            .And.Contain("CloudWatchOptions.AccessKeyId is set but SecretAccessKey is not: signing needs both.");
    }

    [Fact]
    public async Task AddCloudWatch_OnCanaryBuilder_QueriesTheConfiguredEndpoint()
    {
        await using var server = await FakeVendorServer.StartAsync("""{"MetricDataResults":[{"Id":"m1","Values":[12.0]}]}""");
        var services = new ServiceCollection();
        services.AddCanary().AddCloudWatch(o =>
        {
            o.Region = "us-east-1";
            o.Address = server.Address;
            (o.AccessKeyId, o.SecretAccessKey) = ("AKIA", "secret");
        });
        await using var provider = services.BuildServiceProvider();
        var cloudWatch = provider.GetServices<IMetricProvider>().OfType<CloudWatchMetricProvider>().Single();

        var result = await cloudWatch.EvaluateAsync(
            """[{"Id":"m1","MetricStat":{"Metric":{"Namespace":"AWS/ApplicationELB","MetricName":"HTTPCode_Target_5XX_Count"},"Period":60,"Stat":"Sum"}}]""",
            TimeSpan.FromMinutes(1),
            CancellationToken.None);

        result.Value.Should().Be(12);
        server.Requests.Should().ContainSingle().Which.Header("Authorization").Should().Contain("/us-east-1/monitoring/aws4_request");
    }
}
