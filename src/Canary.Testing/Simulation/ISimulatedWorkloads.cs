using Canary.Model;

namespace Canary.Testing.Simulation;

/// <summary>
/// What <see cref="SimulatedTraffic"/> needs to know of a cluster to split its requests: which revision each workload runs, how
/// many of their pods are ready, and the routes. <see cref="SimulatedCluster"/> answers from memory;
/// <see cref="FakeClusterWorkloads"/> from the Deployments of a <see cref="Kubernetes.FakeKubernetesApiServer"/>.
/// </summary>
public interface ISimulatedWorkloads
{
    /// <summary>Reads what runs for a canary now.</summary>
    /// <param name="canary">The canary.</param>
    /// <returns>A snapshot of its workloads and routes.</returns>
    SimulatedWorkloads Inspect(CanaryResource canary);
}
