using System.CommandLine;
using System.Globalization;
using Canary.Cli.Demo;
using Canary.Events;
using Canary.Metrics.Builtin;
using Canary.Model;

namespace Canary.Cli.Commands;

/// <summary>
/// <c>canary demo</c>: two real rollouts on this machine — a healthy v2 that the analysis promotes and a faulty v3 that it rolls
/// back — with the real engine, Canary.Kubernetes' adapters, a fake Kubernetes API server, real pods, a proxy that routes by the
/// provider's objects, and real traffic. Exit 0 when v2 is promoted and v3 rolled back, 1 otherwise, 2 on invalid input.
/// </summary>
internal static class DemoCommand
{
    public static Command Create(TextWriter output, TextWriter error) => Create(output, error, DemoPrometheus.FindBinary);

    /// <summary>Creates the verb with <paramref name="findPrometheus"/> in place of the lookup of the prometheus binary.</summary>
    internal static Command Create(TextWriter output, TextWriter error, Func<string?> findPrometheus)
    {
        var provider = new Option<string>("--provider")
        {
            Description = $"The traffic provider whose objects route the users: {string.Join(", ", TrafficProviders.All)} (a version suffix such as smi:v1alpha2 pins the API version).",
            DefaultValueFactory = _ => TrafficProviders.Nginx,
        };
        var fast = new Option<bool>("--fast")
        {
            Description = "Run on virtual time: the demo moves its own clock, so Flagger's pace (a step every minute by 10%, 5 failed checks to roll back) takes seconds; every request is still real.",
        };
        var interval = new Option<double?>("--interval-seconds") { Description = "The analysis interval, overriding the pace's." };
        var rps = new Option<double>("--requests-per-second") { Description = "The users' requests per second.", DefaultValueFactory = _ => 50 };
        var seed = new Option<int>("--seed") { Description = "Seed of the pods, the proxy and the users.", DefaultValueFactory = _ => 1 };
        var prometheus = new Option<bool>("--prometheus")
        {
            Description = "Judge the builtin metrics from a real Prometheus (started here; the prometheus binary must be installed) that scrapes the proxy, through Canary.Metrics' builtin queries of the provider.",
        };
        var report = new Option<FileInfo?>("--report")
        {
            Description = "Also write each rollout as a self-contained HTML page (FILE-2.0.0.html, FILE-3.0.0.html) and FILE itself as an index of them.",
        };
        var command = new Command("demo", "Run a healthy and a faulty release through a canary, live, on this machine.") { provider, fast, interval, rps, seed, prometheus, report };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var settings = new DemoSettings(
                parse.GetRequiredValue(provider), parse.GetValue(fast), parse.GetValue(interval), parse.GetValue(rps), parse.GetValue(seed), parse.GetValue(prometheus))
            {
                Report = parse.GetValue(report),
            };
            var problems = settings.Validate();
            string? binary = null;
            if (settings.Prometheus && problems.Count == 0 && (binary = findPrometheus()) is null)
            {
                problems.Add($"--prometheus: the prometheus binary is neither on PATH nor at {DemoPrometheus.DebianPath}; install it (Debian: apt-get install prometheus) or run the demo without --prometheus");
            }

            if (problems.Count > 0)
            {
                foreach (var problem in problems)
                {
                    await error.WriteLineAsync(problem);
                }

                return ExitCodes.InvalidInput;
            }

            try
            {
                var color = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected
                    && Environment.GetEnvironmentVariable("NO_COLOR") is null && Environment.GetEnvironmentVariable("TERM") is not (null or "dumb");
                return await new DemoRun(settings, binary, TextWriter.Synchronized(output), TextWriter.Synchronized(error), color).RunAsync(cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                await output.WriteLineAsync("Stopped.");
                return ExitCodes.RolloutFailed;
            }
        });
        return command;
    }

    /// <summary>The demo's options as given on the command line.</summary>
    internal sealed record DemoSettings(string Provider, bool Fast, double? IntervalSeconds, double RequestsPerSecond, int Seed, bool Prometheus = false)
    {
        /// <summary>
        /// How often the demo's Prometheus scrapes the proxy. The builtin queries take <c>rate()</c> over the metric's window, which
        /// needs two scrapes of a series inside it, and the first check after a step sees a canary series that is one analysis
        /// interval old: at 0.5 s, the shortest interval allowed (2 s) still holds four scrapes, and the fast pace's 4 s window eight.
        /// </summary>
        public static readonly TimeSpan ScrapeInterval = TimeSpan.FromMilliseconds(500);

        /// <summary>The shortest analysis interval with <c>--prometheus</c>: four scrapes.</summary>
        public const double MinPrometheusIntervalSeconds = 2;

        /// <summary>Gets the index page of <c>--report</c>, or <see langword="null"/>.</summary>
        public FileInfo? Report { get; init; }

        private static readonly string[] PinnableVersions =
        [
            "smi:v1alpha1", "smi:v1alpha2", "smi:v1alpha3", "smi:v1alpha4", "linkerd:v1alpha1", "linkerd:v1alpha2", "gatewayapi:v1", "gatewayapi:v1beta1",
        ];

        public List<string> Validate()
        {
            var problems = new List<string>();
            if (!TrafficProviders.IsKnown(Provider))
            {
                problems.Add($"--provider {Provider}: not a known provider (known: {string.Join(", ", TrafficProviders.All)})");
            }
            else if (Provider.Contains(':', StringComparison.Ordinal) && !PinnableVersions.Contains(Provider, StringComparer.Ordinal))
            {
                problems.Add($"--provider {Provider}: not a version the demo serves (known: {string.Join(", ", PinnableVersions)})");
            }

            if (IntervalSeconds is { } seconds && !(seconds is >= 1 and <= 600))
            {
                problems.Add($"--interval-seconds {seconds.ToString(CultureInfo.InvariantCulture)}: must be between 1 and 600");
            }

            if (Prometheus && Fast)
            {
                problems.Add("--fast with --prometheus: a real Prometheus scrapes on real time and cannot follow the demo's virtual clock; drop --fast (and set --interval-seconds for a quicker pace)");
            }

            if (Prometheus && IntervalSeconds is { } brief && brief < MinPrometheusIntervalSeconds)
            {
                problems.Add($"--interval-seconds {brief.ToString(CultureInfo.InvariantCulture)}: with --prometheus, must be at least {MinPrometheusIntervalSeconds.ToString(CultureInfo.InvariantCulture)}, so that a step's first check sees enough scrapes for rate()");
            }

            if (Prometheus && TrafficProviders.IsKnown(Provider)
                && !BuiltinPrometheusQueries.TryGet(Provider, BuiltinMetrics.RequestSuccessRate, Canary.Workloads.WorkloadRole.Canary, out _))
            {
                problems.Add($"--provider {Provider}: Canary.Metrics has no builtin Prometheus queries for it, so --prometheus cannot judge it (those that have: {string.Join(", ", BuiltinPrometheusQueries.TrafficProviders)})");
            }

            if (Report is { Directory.Exists: false })
            {
                problems.Add($"--report {Report.FullName}: the directory {Report.DirectoryName} does not exist");
            }

            if (!(RequestsPerSecond is >= 1 and <= 1000))
            {
                problems.Add($"--requests-per-second {RequestsPerSecond.ToString(CultureInfo.InvariantCulture)}: must be between 1 and 1000");
            }

            return problems;
        }
    }

    /// <summary>One run of the demo, writing events and progress as they happen.</summary>
    private sealed class DemoRun(DemoSettings settings, string? prometheusBinary, TextWriter output, TextWriter error, bool color)
    {
        private const int MinThreads = 32;
        private static readonly TimeSpan PrometheusStartTimeout = TimeSpan.FromSeconds(30);

        private readonly Lock _eventsGate = new();
        private List<CanaryEvent> _events = [];
        private DemoEnvironment? _demo;
        private DemoProgress? _progress;
        private long _started;

        public async Task<int> RunAsync(CancellationToken cancellationToken)
        {
            // A dozen servers, their clients and the engine share the thread pool; on a small machine its slow growth would show up
            // as latency that the analysis judges.
            ThreadPool.GetMinThreads(out var workers, out var io);
            ThreadPool.SetMinThreads(Math.Max(workers, MinThreads), Math.Max(io, MinThreads));
            var options = new DemoEnvironmentOptions { Provider = settings.Provider, Seed = settings.Seed, VirtualTime = settings.Fast };
            options.Load.RequestsPerSecond = settings.RequestsPerSecond;
            output.WriteLine(settings.Fast
                ? $"Canary demo: provider {settings.Provider}, on virtual time (the demo moves its own clock; every request is real); everything runs on 127.0.0.1."
                : $"Canary demo: provider {settings.Provider}, normal pace; everything runs on 127.0.0.1.");
            var wall = System.Diagnostics.Stopwatch.StartNew();
            await using var demo = _demo = await DemoEnvironment.StartAsync(options, cancellationToken);
            _started = demo.TimeProvider.GetTimestamp();
            var canary = demo.CreateCanary(settings.Fast);
            if (settings.IntervalSeconds is { } seconds)
            {
                canary = canary with { Spec = canary.Spec with { Analysis = canary.Spec.Analysis with { Interval = TimeSpan.FromSeconds(seconds) } } };
            }

            var analysis = canary.Spec.Analysis;
            _progress = new DemoProgress(canary, color) { VirtualTime = settings.Fast };
            output.WriteLine($"  Kubernetes API (fake)  {demo.ApiServer.BaseAddress}");
            output.WriteLine($"  the app, via the proxy curl -H 'Host: {demo.Host}' {demo.Proxy.Address}");
            output.WriteLine($"  the proxy's metrics    {demo.Proxy.MetricsAddress}metrics");
            output.WriteLine($"  users                  {settings.RequestsPerSecond.ToString(CultureInfo.InvariantCulture)} requests a second to {demo.Host}");
            DemoPrometheus? prometheus = null;
            if (prometheusBinary is not null)
            {
                try
                {
                    prometheus = await DemoPrometheus.StartAsync(prometheusBinary, demo.Proxy.MetricsAddress, DemoSettings.ScrapeInterval, PrometheusStartTimeout, cancellationToken);
                }
                catch (Exception exception) when (exception is TimeoutException or InvalidOperationException or IOException or System.ComponentModel.Win32Exception)
                {
                    await error.WriteLineAsync($"--prometheus: could not start {prometheusBinary}: {exception.Message}");
                    return ExitCodes.RolloutFailed;
                }

                output.WriteLine($"  Prometheus             {prometheus.Address} scrapes the proxy every {DemoSettings.ScrapeInterval.TotalSeconds.ToString(CultureInfo.InvariantCulture)}s (data in {prometheus.Directory}, removed at the end)");
            }

            await using var stopPrometheus = prometheus;
            var checks = string.Join(", ", analysis.Metrics.Select(m => m.Name == BuiltinMetrics.RequestSuccessRate
                ? $"success rate >= {m.ThresholdRange.Min?.ToString(CultureInfo.InvariantCulture)}%"
                : $"P99 <= {m.ThresholdRange.Max?.ToString(CultureInfo.InvariantCulture)} ms"));
            var source = prometheus is null
                ? "measured by the proxy"
                : $"from Prometheus, by Canary.Metrics' builtin {TrafficProviders.BaseName(settings.Provider)} queries";
            output.WriteLine($"  analysis               every {DemoProgress.Duration(analysis.Interval)}: {checks}, {source}{(settings.Fast ? ", on virtual time" : string.Empty)}");
            var pace = analysis.StepWeight is { } step
                ? $"+{step}% a step up to {analysis.EffectiveMaxWeight}%"
                : $"{analysis.Iterations} iterations";
            output.WriteLine($"  rollout                {pace}, rolled back after {analysis.Threshold} failed checks");

            await using var rollouts = new DemoRollouts(demo, canary, WriteEvent, prometheus?.Address);
            var results = new List<DemoRolloutRecord>();
            try
            {
                await rollouts.InitializeAsync(cancellationToken);
                var previous = demo.Options.InitialVersion;
                foreach (var (version, what) in new[] { (DemoVersions.V2, "healthy"), (DemoVersions.V3, "faulty: 20% of requests fail, and slower") })
                {
                    output.WriteLine();
                    output.WriteLine($"== Releasing {version} ({what}) ==");
                    var answersBefore = demo.UserTraffic.ByVersion;
                    var released = demo.TimeProvider.GetTimestamp();
                    using var stopProgress = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                    var progress = ShowProgressAsync(version, analysis.Interval, stopProgress.Token);
                    var status = await rollouts.RolloutAsync(version, cancellationToken);
                    await stopProgress.CancelAsync();
                    await progress;
                    var rollout = new DemoRolloutRecord(
                        version, what, previous, TakeEvents(), status?.Phase, Since(answersBefore, demo.UserTraffic.ByVersion), demo.TimeProvider.GetElapsedTime(released));
                    results.Add(rollout);
                    output.WriteLine($"== {version}: {rollout.Outcome} ==");
                    previous = status?.Phase == CanaryPhase.Succeeded ? version : previous;
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                output.WriteLine("Stopped.");
                return ExitCodes.RolloutFailed;
            }
            catch (TimeoutException ex)
            {
                output.WriteLine($"Stopped: {ex.Message}");
                return ExitCodes.RolloutFailed;
            }

            var traffic = await demo.StopTrafficAsync();
            output.WriteLine();
            _progress.WriteSummary(output, results, traffic.ByVersion, wall.Elapsed, demo.Clock is null ? null : demo.TimeProvider.GetElapsedTime(_started));
            if (prometheus is not null)
            {
                output.WriteLine($"  Prometheus answered {await prometheus.CountQueriesAsync(cancellationToken)} queries of the analysis.");
            }

            if (settings.Report is { } index)
            {
                var reportSettings = new List<KeyValuePair<string, string>>
                {
                    new("Provider", settings.Provider),
                    new("Traffic", $"{settings.RequestsPerSecond.ToString(CultureInfo.InvariantCulture)} req/s through the proxy, seed {settings.Seed.ToString(CultureInfo.InvariantCulture)}"),
                    new("Metrics", prometheus is null ? "the proxy's own counters" : $"Prometheus, builtin {TrafficProviders.BaseName(settings.Provider)} queries"),
                };
                if (!await DemoReport.TryWriteAsync(index, canary, results, reportSettings, error, cancellationToken))
                {
                    return ExitCodes.InvalidInput;
                }

                output.WriteLine($"  report: {index.FullName} ({string.Join(", ", results.Select(r => Path.GetFileName(DemoReport.PagePath(index.FullName, r.Version))))})");
            }

            var expected = results is [{ Phase: CanaryPhase.Succeeded }, { Phase: CanaryPhase.Failed }];
            output.WriteLine(expected
                ? $"Result: {DemoVersions.V2} promoted, {DemoVersions.V3} rolled back, as expected."
                : $"Result: unexpected: {string.Join(", ", results.Select(r => $"{r.Version} {r.Outcome}"))}.");
            return expected ? ExitCodes.Success : ExitCodes.RolloutFailed;
        }

        private static Dictionary<string, VersionCount> Since(IReadOnlyDictionary<string, VersionCount> before, IReadOnlyDictionary<string, VersionCount> now) =>
            now.Select(pair => (pair.Key, Count: before.TryGetValue(pair.Key, out var earlier)
                    ? new VersionCount(pair.Value.Succeeded - earlier.Succeeded, pair.Value.Failed - earlier.Failed)
                    : pair.Value))
                .Where(pair => pair.Count.Total > 0)
                .ToDictionary(pair => pair.Key, pair => pair.Count, StringComparer.Ordinal);

        private List<CanaryEvent> TakeEvents()
        {
            lock (_eventsGate)
            {
                var events = _events;
                _events = [];
                return events;
            }
        }

        private TimeSpan Elapsed() => _demo!.TimeProvider.GetElapsedTime(_started);

        private void WriteEvent(CanaryEvent canaryEvent)
        {
            lock (_eventsGate)
            {
                _events.Add(canaryEvent);
            }

            _progress!.Observe(canaryEvent);
            output.WriteLine(_progress.EventLine(canaryEvent, Elapsed()));
        }

        /// <summary>
        /// One progress line per analysis interval, half an interval after each of the engine's steps (which come one an interval
        /// from the release on), so that it shows the state that step left: the weight, the checks it judged, the failed checks.
        /// </summary>
        private async Task ShowProgressAsync(string version, TimeSpan interval, CancellationToken cancellationToken)
        {
            var demo = _demo!;

            // On virtual time the line is a piece of work the clock waits for, so that it shows the state at its own time.
            using var actor = demo.Clock?.CreateActor();
            var time = (TimeProvider?)actor ?? demo.TimeProvider;
            try
            {
                await Task.Delay(interval / 2, time, cancellationToken);
                while (true)
                {
                    output.WriteLine(_progress!.ProgressLine(version, Elapsed(), time.GetUtcNow(), interval, demo.Proxy.Routes.CanaryShare));
                    await Task.Delay(interval, time, cancellationToken);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // The rollout ended.
            }
        }
    }
}
