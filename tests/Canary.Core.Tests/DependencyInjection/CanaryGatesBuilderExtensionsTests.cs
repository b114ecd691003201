using Canary.Engine;
using Canary.Gates;
using Canary.Testing.Simulation;
using Canary.Testing.Time;
using Canary.Workloads;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Canary.Core.Tests.DependencyInjection;

public class CanaryGatesBuilderExtensionsTests
{
    [Fact]
    public void AddCanary_NoGates_PostsWebhooksOverHttpAndHasNoApprovalGate()
    {
        using var provider = Build(_ => { });

        var ports = provider.GetRequiredService<CanaryPorts>();

        ports.Webhooks.Should().BeOfType<HttpWebhookClient>();
        ports.ApprovalGate.Should().BeNull();
    }

    [Fact]
    public void AddInMemoryApprovalGate_Registered_EngineAsksTheInstanceTheHostCompletes()
    {
        using var provider = Build(builder => builder.AddInMemoryApprovalGate());

        var ports = provider.GetRequiredService<CanaryPorts>();

        ports.ApprovalGate.Should().BeSameAs(provider.GetRequiredService<InMemoryApprovalGate>());
    }

    [Fact]
    public void AddCommandTestGates_Registered_RoutesExecHooksToTheRunner()
    {
        using var provider = Build(builder => builder.AddCommandTestGates());

        var ports = provider.GetRequiredService<CanaryPorts>();

        ports.Webhooks.Should().BeOfType<TestGateWebhookClient>();
        provider.GetRequiredService<ITestGate>().Should().BeOfType<CommandTestRunner>();
    }

    [Fact]
    public void AddCommandTestGates_BadOptions_FailNamingEachField()
    {
        using var provider = Build(builder => builder.AddCommandTestGates(o =>
        {
            o.Shell = " ";
            o.OutputTailLines = -1;
        }));

        var act = () => provider.GetRequiredService<IOptions<CommandTestRunnerOptions>>().Value;

        act.Should().Throw<OptionsValidationException>()
            .Which.Failures.Should().BeEquivalentTo("Shell: is required", "OutputTailLines: must be between 0 and 1000");
    }

    [Fact]
    public void ConfigureWebhooks_NegativeDelay_FailsNamingTheField()
    {
        using var provider = Build(builder => builder.ConfigureWebhooks(o => o.RetryBaseDelay = TimeSpan.FromSeconds(-1)));

        var act = () => provider.GetRequiredService<IOptions<HttpWebhookClientOptions>>().Value;

        act.Should().Throw<OptionsValidationException>().Which.Failures.Should().Contain("RetryBaseDelay: must not be negative");
    }

    private static ServiceProvider Build(Action<ICanaryBuilder> configure)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IWorkloadController>(new SimulatedCluster(new ManualTimeProvider()));
        configure(services.AddCanary());
        return services.BuildServiceProvider();
    }
}
