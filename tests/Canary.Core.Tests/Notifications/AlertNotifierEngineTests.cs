using Canary.Core.Tests.Engine;
using Canary.Core.Tests.Support;
using Canary.Model;
using Canary.Notifications;
using Microsoft.Extensions.DependencyInjection;

namespace Canary.Core.Tests.Notifications;

/// <summary>Alerts through the engine: the notifier registered with the builder posts what the canary's alerts admit.</summary>
public sealed class AlertNotifierEngineTests : IAsyncLifetime
{
    private LoopbackServer _server = null!;

    public async Task InitializeAsync() => _server = await LoopbackServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Rollback_ErrorAlert_ReceivesOnlyTheRollbackEvents()
    {
        var provider = new AlertProvider { Name = "on-call", Type = AlertProviderType.Generic, Address = _server.Url("/alerts") };
        var canary = TestCanaries.Canary(a => a with
        {
            Threshold = 2,
            Alerts = [new AlertSpec("on-call", AlertSeverity.Error, new ProviderReference("on-call"))],
        });
        await using var harness = new EngineHarness(canary, configure: builder => builder.AddAlertNotifier().AddAlertProviders([provider]));
        harness.Metrics.Returns(BuiltinMetrics.RequestSuccessRate, 50);
        await harness.StartRolloutAsync();

        var status = await harness.RunToEndAsync();

        status.Phase.Should().Be(CanaryPhase.Failed);
        _server.Requests.Select(r => r.Json.GetProperty("message").GetString())
            .Should().Equal("Rolling back podinfo.test failed checks threshold reached 2", "Canary failed! Scaling down podinfo.test");
    }

    [Fact]
    public async Task AddAlertProviders_AfterAddAlertNotifier_ProvidersAreFoundByTheStore()
    {
        var services = new ServiceCollection();
        var provider = new AlertProvider { Name = "on-call", Type = AlertProviderType.Slack, Address = _server.Url("/hook") };
        services.AddCanary().AddAlertNotifier().AddAlertProviders([provider]);
        using var built = services.BuildServiceProvider();

        var store = built.GetRequiredService<IAlertProviderStore>();

        (await store.GetAsync("on-call", "any", CancellationToken.None)).Should().Be(provider);
        built.GetServices<INotifier>().Should().ContainSingle().Which.Should().BeOfType<AlertNotifier>();
    }
}
