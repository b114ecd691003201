using System.Collections.Frozen;
using System.Diagnostics;
using Canary.Analysis;
using Canary.Events;
using Canary.Gates;
using Canary.Model;
using Canary.Notifications;
using Canary.Resilience;
using Canary.Routing;
using Canary.State;
using Canary.Workloads;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Canary.Engine;

/// <summary>
/// Drives canaries through their rollout, one idempotent step at a time: <see cref="ReconcileAsync"/> reads the
/// world through the ports, decides, acts, and saves the new status. It keeps no state between steps, so one engine
/// serves any number of canaries and a restarted engine resumes from the saved status.
/// </summary>
/// <remarks>
/// The decisions follow Flagger's scheduler: failed checks add up over a run and are judged at the start of the next
/// step; waiting for a workload or a confirm gate never counts; a metric without data or a provider that fails does.
/// Every action sets an absolute state (weight 15, not +5), so a step repeated after a crash does no harm.
/// </remarks>
public sealed partial class CanaryEngine : IDisposable
{
    private const string AnyProvider = "*";

    private readonly FrozenDictionary<string, ITrafficRouter> _routers;
    private readonly IWorkloadController _workloads;
    private readonly ICanaryStatusStore _store;
    private readonly MetricAnalyzer _analyzer;
    private readonly WebhookGates _gates;
    private readonly CanaryEventPublisher _publisher;
    private readonly CanaryInstruments _instruments;
    private readonly CanaryResiliencePipelines _pipelines;
    private readonly CanaryEngineOptions _options;
    private readonly TimeProvider _time;

    /// <summary>Initializes a new instance of the <see cref="CanaryEngine"/> class from its ports; hosts usually resolve it through <c>services.AddCanary()</c>.</summary>
    /// <param name="ports">The adapters the engine acts through.</param>
    /// <param name="events">The feed that hosts read events from.</param>
    /// <param name="options">The engine's options.</param>
    /// <param name="pipelines">The resilience pipelines around the ports.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="loggerFactory">The logger factory, or <see langword="null"/> for no logging.</param>
    public CanaryEngine(
        CanaryPorts ports,
        CanaryEventFeed events,
        IOptions<CanaryEngineOptions> options,
        CanaryResiliencePipelines pipelines,
        TimeProvider timeProvider,
        ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(ports);
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(pipelines);
        ArgumentNullException.ThrowIfNull(timeProvider);
        var logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<CanaryEngine>();
        _options = options.Value;
        _routers = ports.Routers.ToFrozenDictionary(r => r.Provider, StringComparer.Ordinal);
        _workloads = ports.Workloads;
        _store = ports.StatusStore;
        _pipelines = pipelines;
        _time = timeProvider;
        _instruments = new CanaryInstruments(ports.MeterFactory);
        _analyzer = new MetricAnalyzer(ports.MetricProviders, ports.MetricTemplates, pipelines.Metrics, _options.BuiltinMetricsProvider);
        _gates = new WebhookGates(ports.Webhooks, pipelines.Webhooks, logger);
        _approvals = ports.ApprovalGate;
        _samples = ports.TrafficSamples;
        _baselines = ports.Baselines;
        _logger = logger;
        _publisher = new CanaryEventPublisher(logger, _instruments, events, ports.Notifiers, _gates);
    }

    /// <summary>Runs one step of a canary's rollout: reads its status, decides, acts, and saves the new status.</summary>
    /// <param name="canary">The canary, as its spec is now.</param>
    /// <param name="cancellationToken">A token that cancels the step; the status saved so far stays consistent.</param>
    /// <returns>The canary's status after the step.</returns>
    /// <exception cref="CanaryStatusConflictException">Another engine saved the canary's status during the step.</exception>
    /// <remarks>A port that fails throws out of the step once its retries are spent; the next step starts again from the saved status.</remarks>
    public async ValueTask<CanaryStatus> ReconcileAsync(CanaryResource canary, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(canary);
        using var activity = _instruments.ActivitySource.StartActivity(CanaryTelemetry.ReconcileActivity);
        activity?.SetTag("canary.name", canary.Id.ToString());
        var started = _time.GetTimestamp();

        var stored = await _pipelines.Store.ExecuteAsync(
            static (state, ct) => state._store.GetAsync(state.Id, ct),
            (_store, canary.Id),
            cancellationToken);
        var step = new ReconcileStep(canary, stored);
        await RunAsync(step, cancellationToken);
        if (step.IsDirty)
        {
            await SaveAsync(step, cancellationToken);
        }

        if (_instruments.Weight.Enabled)
        {
            _instruments.Weight.Record(step.Status.CanaryWeight, new KeyValuePair<string, object?>("canary.name", canary.Id.ToString()));
        }

        _instruments.ReconcileDuration.Record(_time.GetElapsedTime(started).TotalSeconds);
        activity?.SetTag("canary.phase", step.Status.Phase.ToString());
        return step.Status;
    }

    /// <summary>Releases the engine's meter and activity source.</summary>
    public void Dispose() => _instruments.Dispose();

    private async ValueTask RunAsync(ReconcileStep step, CancellationToken cancellationToken)
    {
        if (step.Canary.Spec.Suspend)
        {
            await EmitOnceAsync(step, CanaryEventType.Suspended, "skipping canary run as object is suspended", AlertSeverity.Info, cancellationToken);
            return;
        }

        if (await ApplyCommandAsync(step, cancellationToken) || step.Status.Paused)
        {
            return;
        }

        var router = SelectRouter(step.Canary);
        if (step.Status.Phase == CanaryPhase.Initializing)
        {
            await InitializeAsync(step, router, cancellationToken);
            return;
        }

        if (step.Status.Phase is CanaryPhase.Terminating or CanaryPhase.Terminated)
        {
            return;
        }

        await CallRouterAsync(static (r, c, ct) => r.ReconcileAsync(c, ct), router, step.Canary, cancellationToken);
        var revision = await _pipelines.Workloads.ExecuteAsync(
            static (state, ct) => state.workloads.GetRevisionAsync(state.canary, ct),
            (workloads: _workloads, canary: step.Canary),
            cancellationToken);

        switch (step.Status.Phase)
        {
            case CanaryPhase.Initialized or CanaryPhase.Succeeded or CanaryPhase.Failed or CanaryPhase.Waiting:
                if (IsNewRevision(step.Status, revision))
                {
                    await StartRunAsync(step, revision, cancellationToken);
                }

                return;
            case CanaryPhase.Progressing or CanaryPhase.WaitingPromotion when revision != step.Status.LastAppliedSpec:
                await RestartRunAsync(step, router, revision, cancellationToken);
                return;
            case CanaryPhase.Progressing or CanaryPhase.WaitingPromotion:
                await AnalyzeAndAdvanceAsync(step, router, cancellationToken);
                return;
            case CanaryPhase.Promoting or CanaryPhase.Finalising:
                await ContinuePromotionAsync(step, router, cancellationToken);
                return;
        }
    }

    /// <summary>A run starts for a revision that is neither the one last analysed nor the one promoted, so that reverting the target to the primary's spec starts nothing.</summary>
    private static bool IsNewRevision(CanaryStatus status, string revision) =>
        revision != status.LastAppliedSpec && revision != status.LastPromotedSpec;

    private async ValueTask InitializeAsync(ReconcileStep step, ITrafficRouter router, CancellationToken cancellationToken)
    {
        await CallRouterAsync(static (r, c, ct) => r.ReconcileAsync(c, ct), router, step.Canary, cancellationToken);
        var ready = await _pipelines.Workloads.ExecuteAsync(
            static (state, ct) => state.workloads.InitializeAsync(state.canary, ct),
            (workloads: _workloads, canary: step.Canary),
            cancellationToken);
        if (!ready)
        {
            await EmitOnceAsync(step, CanaryEventType.WorkloadNotReady,
                $"primary deployment {step.Canary.Spec.TargetRef.Name}-primary.{step.Id.Namespace} not ready: waiting for initialization",
                AlertSeverity.Info, cancellationToken);
            return;
        }

        await SetRoutesAsync(step, router, TrafficRoutes.PrimaryOnly, cancellationToken);
        var revision = await _pipelines.Workloads.ExecuteAsync(
            static (state, ct) => state.workloads.GetRevisionAsync(state.canary, ct),
            (workloads: _workloads, canary: step.Canary),
            cancellationToken);
        Transition(step, step.Status with
        {
            Phase = CanaryPhase.Initialized,
            CanaryWeight = 0,
            LastAppliedSpec = revision,
            LastPromotedSpec = revision,
        });
        await EmitAsync(step, CanaryEventType.Initialized, $"Initialization done! {step.Id}", AlertSeverity.Info, cancellationToken);
    }

    private async ValueTask StartRunAsync(ReconcileStep step, string revision, CancellationToken cancellationToken)
    {
        var gate = await _gates.RunAsync(step.Canary, step.Status, WebhookType.ConfirmRollout, cancellationToken);
        if (!gate.Passed)
        {
            Transition(step, step.Status with { Phase = CanaryPhase.Waiting });
            await EmitOnceAsync(step, CanaryEventType.Waiting,
                $"Halt {step.Id} advancement waiting for approval {gate.FailedWebhook!.Name}",
                gate.FailedWebhook.MuteAlert ? AlertSeverity.Info : AlertSeverity.Warn, cancellationToken, webhook: gate.FailedWebhook.Name);
            return;
        }

        if (!await IsApprovedAsync(step, ApprovalStage.Rollout, revision, cancellationToken))
        {
            return;
        }

        await _pipelines.Workloads.ExecuteAsync(
            static (state, ct) => state.workloads.ScaleUpCanaryAsync(state.canary, ct),
            (workloads: _workloads, canary: step.Canary),
            cancellationToken);
        await ScaleUpBaselineAsync(step, cancellationToken);
        Transition(step, NewRun(step.Status, revision));
        await EmitAsync(step, CanaryEventType.NewRevision, $"New revision detected! Scaling up {step.Id}", AlertSeverity.Info, cancellationToken);
    }

    private async ValueTask RestartRunAsync(ReconcileStep step, ITrafficRouter router, string revision, CancellationToken cancellationToken)
    {
        await SetRoutesAsync(step, router, TrafficRoutes.PrimaryOnly, cancellationToken);
        Transition(step, NewRun(step.Status, revision));
        await EmitAsync(step, CanaryEventType.AnalysisRestarted, $"New revision detected! Restarting analysis for {step.Id}", AlertSeverity.Info, cancellationToken);
    }

    private static CanaryStatus NewRun(CanaryStatus status, string revision) => status with
    {
        Phase = CanaryPhase.Progressing,
        CanaryWeight = 0,
        Step = 0,
        FailedChecks = 0,
        Iterations = 0,
        Mirrored = false,
        LastAppliedSpec = revision,
        NotReadySince = null,
        NoDataIntervals = CanaryStatus.New.NoDataIntervals,
        Sequential = null,
        Kayenta = null,
    };

    private ITrafficRouter SelectRouter(CanaryResource canary)
    {
        var provider = TrafficProviders.BaseName(canary.Spec.Provider ?? _options.DefaultProvider);
        return _routers.TryGetValue(provider, out var router) || _routers.TryGetValue(AnyProvider, out router)
            ? router
            : throw new InvalidOperationException(
                $"No traffic router is registered for provider \"{provider}\" of canary {canary.Id}; register one with the builder's Add*Router methods.");
    }
}
