using Canary.Events;
using Canary.Model;
using Canary.Testing.Simulation;

namespace Canary.Core.Tests.Engine;

public class SmokeTests
{
    [Fact]
    public async Task Run_Healthy_Promotes()
    {
        var canary = new CanaryResource(new CanaryId("podinfo", "test"), new CanarySpec
        {
            TargetRef = new ObjectReference("apps/v1", "Deployment", "podinfo"),
            Provider = "nginx",
            Analysis = new AnalysisSpec
            {
                StepWeight = 5, MaxWeight = 50, Threshold = 5,
                Metrics = [new MetricCheck { Name = "request-success-rate", ThresholdRange = new(Min: 99) },
                           new MetricCheck { Name = "request-duration", ThresholdRange = new(Max: 500) }],
            },
        });
        var result = await new CanarySimulation(canary, options: new CanarySimulationOptions { Canary = new WorkloadBehavior(0.5, TimeSpan.FromMilliseconds(50)) }).RunAsync();
        foreach (var e in result.Events) Console.WriteLine($"{e.Time:HH:mm:ss} {e.Type} w={e.Weight} fc={e.FailedChecks} {e.Message}");
        result.EventsOf(CanaryEventType.WeightAdvanced).Should().NotBeEmpty();
    }
}
