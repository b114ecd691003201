using Canary.Core.Tests.Engine;
using Canary.Engine;
using Canary.Model;
using Canary.Resilience;
using Canary.Routing;
using Canary.Testing.Simulation;
using Canary.Testing.Time;
using Canary.Workloads;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Canary.Core.Tests.Resilience;

public class CanaryResilienceTests
{
    [Fact]
    public async Task ReconcileAsync_RouterFailsTransiently_RetriesAndSucceeds()
    {
        var time = new ManualTimeProvider();
        var cluster = new SimulatedCluster(time);
        var router = new FlakyRouter(cluster, failures: 2, new HttpRequestException("connection reset"));
        await using var provider = Build(time, cluster, router, retries: 3);
        cluster.Deploy(new CanaryId("podinfo", "test"), "v1");

        var status = await provider.GetRequiredService<CanaryEngine>().ReconcileAsync(TestCanaries.Canary());

        status.Phase.Should().Be(CanaryPhase.Initialized);
        router.Calls.Should().Be(3);
    }

    [Fact]
    public async Task ReconcileAsync_RouterFailsPermanently_DoesNotRetry()
    {
        var time = new ManualTimeProvider();
        var cluster = new SimulatedCluster(time);
        var router = new FlakyRouter(cluster, failures: 1, new InvalidOperationException("forbidden"));
        await using var provider = Build(time, cluster, router, retries: 3);
        cluster.Deploy(new CanaryId("podinfo", "test"), "v1");

        var step = async () => await provider.GetRequiredService<CanaryEngine>().ReconcileAsync(TestCanaries.Canary());

        await step.Should().ThrowAsync<InvalidOperationException>();
        router.Calls.Should().Be(1);
    }

    [Theory]
    [InlineData(System.Net.HttpStatusCode.ServiceUnavailable, true)]
    [InlineData(System.Net.HttpStatusCode.TooManyRequests, true)]
    [InlineData(System.Net.HttpStatusCode.Conflict, false)]
    [InlineData(System.Net.HttpStatusCode.Forbidden, false)]
    public void IsTransient_HttpStatus_RetriesOnlyServerAndThrottlingErrors(System.Net.HttpStatusCode status, bool transient)
    {
        TransientFailures.IsTransient(new HttpRequestException("x", null, status)).Should().Be(transient);
    }

    [Fact]
    public void IsTransient_ExceptionMarkedByAdapter_FollowsTheMark()
    {
        var exception = new InvalidOperationException("adapter error");
        exception.Data[TransientFailures.DataKey] = true;

        TransientFailures.IsTransient(exception).Should().BeTrue();
    }

    [Fact]
    public async Task RouterPipeline_TransientFailuresRepeat_OpenTheCircuit()
    {
        var pipelines = Pipelines();

        var outcomes = await FailRepeatedlyAsync(pipelines, new HttpRequestException("connection reset"));

        outcomes.Should().Contain(typeof(Polly.CircuitBreaker.BrokenCircuitException));
    }

    [Fact]
    public async Task RouterPipeline_PendingFailuresRepeat_NeverOpenTheCircuit()
    {
        var pending = new InvalidOperationException("HTTPRoute \"podinfo\" is not accepted yet");
        pending.Data[TransientFailures.DataKey] = true;
        pending.Data[TransientFailures.PendingDataKey] = true;
        var pipelines = Pipelines();

        var outcomes = await FailRepeatedlyAsync(pipelines, pending);

        outcomes.Should().OnlyContain(type => type == typeof(InvalidOperationException));
    }

    [Fact]
    public void Options_Invalid_FailWithEveryErrorNamed()
    {
        var services = new ServiceCollection();
        services.AddCanary(o => o.DefaultProvider = "istio").ConfigureResilience(o =>
        {
            o.AttemptTimeout = TimeSpan.Zero;
            o.MaxRetryAttempts = -1;
        });
        using var provider = services.BuildServiceProvider();

        var engineOptions = () => provider.GetRequiredService<IOptions<CanaryEngineOptions>>().Value;
        var resilienceOptions = () => provider.GetRequiredService<IOptions<CanaryResilienceOptions>>().Value;

        engineOptions.Should().Throw<OptionsValidationException>().WithMessage("*DefaultProvider: \"istio\" is not a known provider*");
        resilienceOptions.Should().Throw<OptionsValidationException>()
            .Which.Failures.Should().Contain(["AttemptTimeout: must be positive", "MaxRetryAttempts: must be between 0 and 100"]);
    }

    [Fact]
    public void AddCanary_WithoutWorkloadController_ExplainsWhatIsMissing()
    {
        var services = new ServiceCollection();
        services.AddCanary();
        using var provider = services.BuildServiceProvider();

        var resolve = () => provider.GetRequiredService<CanaryEngine>();

        resolve.Should().Throw<InvalidOperationException>().WithMessage("No IWorkloadController is registered*");
    }

    private static CanaryResiliencePipelines Pipelines() =>
        new(Options.Create(new CanaryResilienceOptions { MaxRetryAttempts = 0, CircuitBreakerMinimumThroughput = 2 }), new ManualTimeProvider());

    private static async Task<List<Type>> FailRepeatedlyAsync(CanaryResiliencePipelines pipelines, Exception failure)
    {
        var outcomes = new List<Type>();
        for (var call = 0; call < 10; call++)
        {
            try
            {
                await pipelines.Router.ExecuteAsync(_ => ValueTask.FromException(failure));
            }
            catch (Exception thrown)
            {
                outcomes.Add(thrown.GetType());
            }
        }

        return outcomes;
    }

    private static ServiceProvider Build(TimeProvider time, SimulatedCluster cluster, ITrafficRouter router, int retries)
    {
        var services = new ServiceCollection();
        services.AddSingleton(time);
        services.AddSingleton<IWorkloadController>(cluster);
        services.AddSingleton(router);
        services.AddCanary().ConfigureResilience(o =>
        {
            o.MaxRetryAttempts = retries;
            o.RetryBaseDelay = TimeSpan.Zero;
        });
        return services.BuildServiceProvider();
    }

    private sealed class FlakyRouter(SimulatedCluster cluster, int failures, Exception failure) : ITrafficRouter
    {
        public int Calls { get; private set; }

        public string Provider => cluster.Provider;

        public ValueTask ReconcileAsync(CanaryResource canary, CancellationToken cancellationToken)
        {
            Calls++;
            return Calls <= failures ? throw failure : ValueTask.CompletedTask;
        }

        public ValueTask<TrafficRoutes> GetRoutesAsync(CanaryResource canary, CancellationToken cancellationToken) =>
            cluster.GetRoutesAsync(canary, cancellationToken);

        public ValueTask<TrafficRoutes> SetRoutesAsync(CanaryResource canary, TrafficRoutes routes, CancellationToken cancellationToken) =>
            cluster.SetRoutesAsync(canary, routes, cancellationToken);
    }
}
