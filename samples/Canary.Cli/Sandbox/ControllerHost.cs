using System.Collections.Concurrent;
using Canary.Cli.Output;
using Canary.Cli.Reports;
using Canary.Events;
using Canary.Kubernetes.Controller;
using Canary.Model;
using Canary.Notifications;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Canary.Cli.Sandbox;

/// <summary>
/// The controller of <c>canary run</c> and <c>canary sandbox</c>, composed as a host embeds Canary: the engine with the
/// Kubernetes adapters (workload controller, status store on the Canary objects, Lease), every router, the
/// <see cref="CanaryController"/> and a metric provider for the builtin metrics (Prometheus, or the sandbox's proxies). It prints
/// each event as it happens, and keeps each canary's events for the reports.
/// </summary>
internal sealed class ControllerHost : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly ControllerHostSettings _settings;
    private readonly ConcurrentDictionary<CanaryId, Rollout> _rollouts;

    private ControllerHost(ServiceProvider services, ControllerHostSettings settings, ConcurrentDictionary<CanaryId, Rollout> rollouts)
    {
        _services = services;
        _settings = settings;
        _rollouts = rollouts;
    }

    /// <summary>Gets the controller.</summary>
    public CanaryController Controller => _services.GetRequiredService<CanaryController>();

    /// <summary>Gets the canaries that had events, in name order.</summary>
    public IReadOnlyList<CanaryId> Canaries => _rollouts.Keys.OrderBy(id => id.Namespace, StringComparer.Ordinal).ThenBy(id => id.Name, StringComparer.Ordinal).ToList();

    /// <summary>Composes the host; nothing connects until <see cref="RunAsync"/>.</summary>
    /// <param name="settings">The cluster, the canaries and the metrics.</param>
    /// <param name="output">Where the events are printed.</param>
    /// <param name="error">Where warnings and rejected specs are printed.</param>
    /// <returns>The host.</returns>
    public static ControllerHost Create(ControllerHostSettings settings, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.AddProvider(new WarningLoggerProvider(error)));
        services.AddSingleton(TimeProvider.System);
        var rollouts = new ConcurrentDictionary<CanaryId, Rollout>();
        services.AddSingleton<INotifier>(new EventPrinter(rollouts, new TextEventWriter(output)));
        if (settings.BuiltinMetrics is { } builtin)
        {
            services.AddSingleton(builtin);
        }

        var builder = services
            .AddCanary(engine =>
            {
                engine.DefaultProvider = settings.Provider;
                if (settings.BuiltinMetrics is { } metrics)
                {
                    engine.BuiltinMetricsProvider = metrics.Name;
                }
            })
            .AddKubernetes(kubernetes =>
            {
                kubernetes.Configuration = settings.Configuration;
                kubernetes.CanaryGroup = settings.CanaryGroup;
                kubernetes.CanaryVersion = settings.CanaryVersion;
                kubernetes.LeaderElection.LeaseName = settings.LeaseName;
                kubernetes.LeaderElection.LeaseNamespace = settings.LeaseNamespace;
            })
            .AddAllRouters()
            .AddCanaryController(controller =>
            {
                controller.Namespace = settings.Namespace;
                controller.ShutdownTimeout = settings.ShutdownTimeout;
                foreach (var id in settings.Canaries)
                {
                    controller.Canaries.Add(id);
                }
            });
        if (settings.MetricsServer is { } address)
        {
            builder.AddPrometheus(prometheus => prometheus.Address = address);
        }

        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        var composed = new ControllerHost(provider, settings, rollouts);
        var printer = TextWriter.Synchronized(error);
        composed.Controller.SpecRejected += (_, rejection) =>
        {
            printer.WriteLine($"error Canary {rejection.Id} (generation {rejection.Generation}) is not run:");
            foreach (var problem in rejection.Errors)
            {
                printer.WriteLine($"  {problem}");
            }
        };
        return composed;
    }

    /// <summary>Runs the controller until <paramref name="cancellationToken"/> is cancelled; steps finish and the Lease is released.</summary>
    /// <param name="cancellationToken">Stops the controller (Ctrl+C).</param>
    /// <returns>A task that completes when the controller has stopped.</returns>
    public Task RunAsync(CancellationToken cancellationToken) => Controller.RunAsync(cancellationToken);

    /// <summary>Returns one report per canary that had events, with every event of this run.</summary>
    /// <param name="details">The settings to show in each report.</param>
    /// <returns>The reports, in canary name order.</returns>
    public IReadOnlyList<RolloutReport> Reports(IReadOnlyList<KeyValuePair<string, string>> details) =>
        Canaries.Select(id => _rollouts[id].Report(_settings, details)).ToList();

    /// <summary>Disposes the engine, the adapters and the client.</summary>
    /// <returns>A task that completes when they are disposed.</returns>
    public ValueTask DisposeAsync() => _services.DisposeAsync();

    /// <summary>One canary's events in this run, and its spec as last seen.</summary>
    private sealed class Rollout
    {
        private readonly Lock _gate = new();
        private readonly List<CanaryEvent> _events = [];
        private CanaryResource? _canary;

        public void Add(CanaryResource canary, CanaryEvent canaryEvent)
        {
            lock (_gate)
            {
                _canary = canary;
                _events.Add(canaryEvent);
            }
        }

        public RolloutReport Report(ControllerHostSettings settings, IReadOnlyList<KeyValuePair<string, string>> details)
        {
            lock (_gate)
            {
                return new RolloutReport(_canary!, _events.ToList(), _events[^1].Phase)
                {
                    Source = settings.Source,
                    Details = details,
                    Generator = settings.Generator,
                };
            }
        }
    }

    /// <summary>Prints each event and keeps it with its canary's rollout.</summary>
    private sealed class EventPrinter(ConcurrentDictionary<CanaryId, Rollout> rollouts, TextEventWriter writer) : INotifier
    {
        private readonly Lock _gate = new();

        public ValueTask NotifyAsync(CanaryResource canary, CanaryEvent canaryEvent, CancellationToken cancellationToken)
        {
            rollouts.GetOrAdd(canary.Id, _ => new Rollout()).Add(canary, canaryEvent);
            lock (_gate)
            {
                writer.Write(canaryEvent);
            }

            return ValueTask.CompletedTask;
        }
    }
}
