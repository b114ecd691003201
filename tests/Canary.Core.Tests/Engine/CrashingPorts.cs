using Canary.Model;
using Canary.Routing;
using Canary.State;
using Canary.Testing.Simulation;
using Canary.Workloads;

namespace Canary.Core.Tests.Engine;

/// <summary>The simulated cluster and status store, with a crash injected around every write.</summary>
internal sealed class CrashingPorts(SimulatedCluster cluster, ICanaryStatusStore store, CrashInjector crashes)
    : IWorkloadController, ITrafficRouter, ICanaryStatusStore
{
    public string Provider => cluster.Provider;

    public ValueTask<bool> InitializeAsync(CanaryResource canary, CancellationToken cancellationToken) =>
        crashes.ActAsync(() => cluster.InitializeAsync(canary, cancellationToken));

    public ValueTask<string> GetRevisionAsync(CanaryResource canary, CancellationToken cancellationToken) =>
        cluster.GetRevisionAsync(canary, cancellationToken);

    public ValueTask<WorkloadReadiness> GetReadinessAsync(CanaryResource canary, WorkloadRole role, CancellationToken cancellationToken) =>
        cluster.GetReadinessAsync(canary, role, cancellationToken);

    public ValueTask ScaleUpCanaryAsync(CanaryResource canary, CancellationToken cancellationToken) =>
        crashes.ActAsync(() => cluster.ScaleUpCanaryAsync(canary, cancellationToken));

    public ValueTask ScaleDownCanaryAsync(CanaryResource canary, CancellationToken cancellationToken) =>
        crashes.ActAsync(() => cluster.ScaleDownCanaryAsync(canary, cancellationToken));

    public ValueTask PromoteAsync(CanaryResource canary, CancellationToken cancellationToken) =>
        crashes.ActAsync(() => cluster.PromoteAsync(canary, cancellationToken));

    public ValueTask ReconcileAsync(CanaryResource canary, CancellationToken cancellationToken) =>
        cluster.ReconcileAsync(canary, cancellationToken);

    public ValueTask<TrafficRoutes> GetRoutesAsync(CanaryResource canary, CancellationToken cancellationToken) =>
        cluster.GetRoutesAsync(canary, cancellationToken);

    public ValueTask<TrafficRoutes> SetRoutesAsync(CanaryResource canary, TrafficRoutes routes, CancellationToken cancellationToken) =>
        crashes.ActAsync(() => cluster.SetRoutesAsync(canary, routes, cancellationToken));

    public ValueTask<VersionedStatus?> GetAsync(CanaryId id, CancellationToken cancellationToken) =>
        store.GetAsync(id, cancellationToken);

    public ValueTask<VersionedStatus> SaveAsync(CanaryId id, CanaryStatus status, string? expectedVersion, CancellationToken cancellationToken) =>
        crashes.ActAsync(() => store.SaveAsync(id, status, expectedVersion, cancellationToken));
}
