using Canary.Events;
using Canary.Testing.Simulation;

namespace Canary.Cli.Output;

/// <summary>Writes a rollout's events as they happen, and its outcome at the end.</summary>
internal interface IEventWriter
{
    void Write(CanaryEvent canaryEvent);

    void WriteSummary(CanarySimulationResult result);
}
