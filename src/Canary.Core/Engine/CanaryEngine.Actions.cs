using Canary.Events;
using Canary.Model;
using Canary.Routing;
using Canary.Workloads;

namespace Canary.Engine;

public sealed partial class CanaryEngine
{
    /// <summary>Replaces the step's status, stamping a phase change with the time.</summary>
    private void Transition(ReconcileStep step, CanaryStatus next)
    {
        if (next.Phase != step.Status.Phase)
        {
            next = next with { LastTransitionTime = _time.GetUtcNow() };
        }

        step.Status = next;
        step.IsDirty = true;
    }

    private async ValueTask SaveAsync(ReconcileStep step, CancellationToken cancellationToken)
    {
        var saved = await _pipelines.Store.ExecuteAsync(
            static (state, ct) => state.store.SaveAsync(state.step.Id, state.step.Status, state.step.Version, ct),
            (store: _store, step),
            cancellationToken);
        step.Version = saved.Version;
        step.IsDirty = false;
    }

    /// <summary>Applies routes and records the weights the router achieved; the step saves them before it ends.</summary>
    private async ValueTask<TrafficRoutes> SetRoutesAsync(ReconcileStep step, ITrafficRouter router, TrafficRoutes routes, CancellationToken cancellationToken)
    {
        var achieved = await _pipelines.Router.ExecuteAsync(
            static (state, ct) => state.router.SetRoutesAsync(state.canary, state.routes, ct),
            (router, canary: step.Canary, routes),
            cancellationToken);
        if (achieved.CanaryWeight != step.Status.CanaryWeight || achieved.Mirrored != step.Status.Mirrored)
        {
            Transition(step, step.Status with { CanaryWeight = achieved.CanaryWeight, Mirrored = achieved.Mirrored });
        }

        return achieved;
    }

    private ValueTask CallRouterAsync(
        Func<ITrafficRouter, CanaryResource, CancellationToken, ValueTask> call,
        ITrafficRouter router,
        CanaryResource canary,
        CancellationToken cancellationToken) =>
        _pipelines.Router.ExecuteAsync(
            static (state, ct) => state.call(state.router, state.canary, ct),
            (call, router, canary),
            cancellationToken);

    private ValueTask<WorkloadReadiness> GetReadinessAsync(ReconcileStep step, WorkloadRole role, CancellationToken cancellationToken) =>
        _pipelines.Workloads.ExecuteAsync(
            static (state, ct) => state.workloads.GetReadinessAsync(state.canary, state.role, ct),
            (workloads: _workloads, canary: step.Canary, role),
            cancellationToken);

    private async ValueTask EmitAsync(
        ReconcileStep step,
        CanaryEventType type,
        string message,
        AlertSeverity severity,
        CancellationToken cancellationToken,
        MetricCheck? metric = null,
        double? value = null,
        string? webhook = null)
    {
        Transition(step, step.Status with { Message = message });
        var status = step.Status;
        var canaryEvent = new CanaryEvent(_time.GetUtcNow(), type, step.Id, status.Phase, status.CanaryWeight, status.FailedChecks, message)
        {
            Severity = severity,
            Metric = metric?.Name,
            Value = value,
            Threshold = metric?.ThresholdRange,
            Webhook = webhook,
        };
        await _publisher.PublishAsync(step.Canary, status, canaryEvent, cancellationToken);
    }

    /// <summary>Emits an event unless it repeats the last one: a canary that waits says so once, not at every step.</summary>
    private ValueTask EmitOnceAsync(
        ReconcileStep step,
        CanaryEventType type,
        string message,
        AlertSeverity severity,
        CancellationToken cancellationToken,
        string? webhook = null) =>
        step.Status.Message == message
            ? ValueTask.CompletedTask
            : EmitAsync(step, type, message, severity, cancellationToken, webhook: webhook);
}
