using System.Collections.Concurrent;
using Canary.Model;
using Canary.Routing;
using Canary.Workloads;

namespace Canary.Testing.Simulation;

/// <summary>
/// An in-memory cluster for the engine's workload and routing ports: a primary, a canary and, on request, a
/// baseline per canary, with readiness that takes (virtual) time, and a router that applies any provider's weights
/// exactly.
/// </summary>
/// <param name="timeProvider">The clock that readiness delays are measured by.</param>
/// <param name="options">How the workloads behave, or <see langword="null"/> for the defaults.</param>
public sealed class SimulatedCluster(TimeProvider timeProvider, SimulatedClusterOptions? options = null)
    : IWorkloadController, ITrafficRouter, IBaselineController, ISimulatedWorkloads
{
    private readonly ConcurrentDictionary<CanaryId, State> _states = new();
    private readonly SimulatedClusterOptions _options = options ?? new SimulatedClusterOptions();

    /// <summary>Gets <c>*</c>: the simulated router serves every provider.</summary>
    public string Provider => "*";

    /// <summary>Deploys a revision to a canary's target, as a user applying a new image would.</summary>
    /// <param name="id">The canary.</param>
    /// <param name="revision">The revision, for example an image tag.</param>
    public void Deploy(CanaryId id, string revision)
    {
        ArgumentException.ThrowIfNullOrEmpty(revision);
        var state = _states.GetOrAdd(id, static (_, r) => new State(r), revision);
        lock (state)
        {
            state.TargetRevision = revision;
        }
    }

    /// <summary>Reads what runs for a canary.</summary>
    /// <param name="id">The canary.</param>
    /// <returns>A snapshot of its workloads and routes.</returns>
    public SimulatedWorkloads Inspect(CanaryId id)
    {
        var state = Get(id);
        lock (state)
        {
            return new SimulatedWorkloads(state.TargetRevision, state.PrimaryRevision, state.PrimaryRevision is null ? 0 : _options.Replicas,
                state.CanaryReplicas, state.Routes, state.RouteWrites)
            {
                BaselineReplicas = state.BaselineReplicas,
                BaselineRevision = state.BaselineRevision,
            };
        }
    }

    /// <inheritdoc />
    SimulatedWorkloads ISimulatedWorkloads.Inspect(CanaryResource canary) => Inspect(canary.Id);

    /// <inheritdoc />
    public ValueTask<bool> InitializeAsync(CanaryResource canary, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(canary);
        var state = Get(canary.Id);
        var now = timeProvider.GetUtcNow();
        lock (state)
        {
            if (state.PrimaryRevision is null)
            {
                state.PrimaryRevision = state.TargetRevision;
                state.PrimaryReadyAt = now + _options.PrimaryReadyDelay;
            }

            var ready = now >= state.PrimaryReadyAt;
            if (ready)
            {
                state.CanaryReplicas = 0;
            }

            return ValueTask.FromResult(ready);
        }
    }

    /// <inheritdoc />
    public ValueTask<string> GetRevisionAsync(CanaryResource canary, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(canary);
        var state = Get(canary.Id);
        lock (state)
        {
            return ValueTask.FromResult(state.TargetRevision);
        }
    }

    /// <inheritdoc />
    public ValueTask<WorkloadReadiness> GetReadinessAsync(CanaryResource canary, WorkloadRole role, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(canary);
        var state = Get(canary.Id);
        var now = timeProvider.GetUtcNow();
        lock (state)
        {
            var (replicas, readyAt, neverReady) = role == WorkloadRole.Primary
                ? (_options.Replicas, state.PrimaryReadyAt, false)
                : (state.CanaryReplicas, state.CanaryReadyAt, _options.CanaryNeverReady);
            if (replicas > 0 && !neverReady && now >= readyAt)
            {
                return ValueTask.FromResult(WorkloadReadiness.Ready);
            }

            return ValueTask.FromResult(WorkloadReadiness.Progressing(
                $"waiting for rollout to finish: 0 of {Math.Max(replicas, 1)} updated replicas are available"));
        }
    }

    /// <inheritdoc />
    public ValueTask ScaleUpCanaryAsync(CanaryResource canary, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(canary);
        var state = Get(canary.Id);
        lock (state)
        {
            if (state.CanaryReplicas == 0)
            {
                state.CanaryReplicas = _options.Replicas;
                state.CanaryReadyAt = timeProvider.GetUtcNow() + _options.CanaryReadyDelay;
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask ScaleDownCanaryAsync(CanaryResource canary, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(canary);
        var state = Get(canary.Id);
        lock (state)
        {
            state.CanaryReplicas = 0;
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask PromoteAsync(CanaryResource canary, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(canary);
        var state = Get(canary.Id);
        lock (state)
        {
            if (state.PrimaryRevision != state.TargetRevision)
            {
                state.PrimaryRevision = state.TargetRevision;
                state.PrimaryReadyAt = timeProvider.GetUtcNow() + _options.PrimaryReadyDelay;
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    /// <remarks>The baseline runs the primary's revision at the canary's scale and becomes ready after <see cref="SimulatedClusterOptions.BaselineReadyDelay"/>.</remarks>
    public ValueTask ScaleUpBaselineAsync(CanaryResource canary, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(canary);
        var state = Get(canary.Id);
        lock (state)
        {
            if (state.BaselineReplicas == 0)
            {
                state.BaselineReplicas = _options.Replicas;
                state.BaselineRevision = state.PrimaryRevision ?? state.TargetRevision;
                state.BaselineReadyAt = timeProvider.GetUtcNow() + (_options.BaselineReadyDelay ?? _options.CanaryReadyDelay);
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask ScaleDownBaselineAsync(CanaryResource canary, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(canary);
        var state = Get(canary.Id);
        lock (state)
        {
            state.BaselineReplicas = 0;
            state.BaselineRevision = null;
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<WorkloadReadiness> GetBaselineReadinessAsync(CanaryResource canary, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(canary);
        var state = Get(canary.Id);
        lock (state)
        {
            return ValueTask.FromResult(state.BaselineReplicas > 0 && timeProvider.GetUtcNow() >= state.BaselineReadyAt
                ? WorkloadReadiness.Ready
                : WorkloadReadiness.Progressing($"waiting for rollout to finish: 0 of {Math.Max(state.BaselineReplicas, 1)} updated replicas are available"));
        }
    }

    /// <inheritdoc />
    public ValueTask ReconcileAsync(CanaryResource canary, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <inheritdoc />
    public ValueTask<TrafficRoutes> GetRoutesAsync(CanaryResource canary, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(canary);
        var state = Get(canary.Id);
        lock (state)
        {
            return ValueTask.FromResult(state.Routes);
        }
    }

    /// <inheritdoc />
    public ValueTask<TrafficRoutes> SetRoutesAsync(CanaryResource canary, TrafficRoutes routes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(canary);
        var state = Get(canary.Id);
        lock (state)
        {
            if (state.Routes != routes)
            {
                state.Routes = routes;
                state.RouteWrites++;
            }

            return ValueTask.FromResult(routes);
        }
    }

    private State Get(CanaryId id) =>
        _states.TryGetValue(id, out var state)
            ? state
            : throw new InvalidOperationException($"Canary {id} has no target in the simulated cluster: call Deploy first.");

    private sealed class State(string targetRevision)
    {
        public string TargetRevision { get; set; } = targetRevision;

        public string? PrimaryRevision { get; set; }

        public DateTimeOffset PrimaryReadyAt { get; set; }

        public int CanaryReplicas { get; set; }

        public DateTimeOffset CanaryReadyAt { get; set; }

        public int BaselineReplicas { get; set; }

        public string? BaselineRevision { get; set; }

        public DateTimeOffset BaselineReadyAt { get; set; }

        public TrafficRoutes Routes { get; set; } = TrafficRoutes.PrimaryOnly;

        public int RouteWrites { get; set; }
    }
}
