using System.CommandLine;
using System.Globalization;
using Canary.Cli.Output;
using Canary.Cli.Reports;
using Canary.Model;
using Canary.Testing.Simulation;

namespace Canary.Cli.Commands;

/// <summary>
/// <c>canary simulate FILE</c>: runs the real engine on a spec against simulated traffic, on virtual time, with no
/// network. Exit 0 when the canary is promoted, 1 when it is rolled back, 2 on invalid input.
/// </summary>
internal static class SimulateCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var file = new Argument<FileInfo>("file") { Description = "A YAML or JSON file with a Canary (and the MetricTemplates it uses)." };
        var canaryName = new Option<string?>("--canary") { Description = "Which canary of the file to simulate, when it holds several." };
        var rps = new Option<double>("--requests-per-second") { Description = "Users' requests per second.", DefaultValueFactory = _ => 10 };
        var primaryErrors = new Option<double>("--primary-error-rate") { Description = "Fraction of the primary's requests that fail with 5xx (0 to 1)." };
        var canaryErrors = new Option<double>("--canary-error-rate") { Description = "Fraction of the canary's requests that fail with 5xx (0 to 1)." };
        var primaryLatency = new Option<double>("--primary-latency-ms") { Description = "The primary's median request duration.", DefaultValueFactory = _ => 50 };
        var canaryLatency = new Option<double>("--canary-latency-ms") { Description = "The canary's median request duration.", DefaultValueFactory = _ => 50 };
        var metrics = new Option<string[]>("--metric") { Description = "NAME=VALUE: the value a custom (template) metric returns for the canary. Repeatable." };
        var webhooks = new Option<string[]>("--webhook") { Description = "NAME=pass|fail: how a webhook answers (all pass by default). Repeatable." };
        var seed = new Option<int>("--seed") { Description = "Seed of the simulated traffic.", DefaultValueFactory = _ => 1 };
        var replicas = new Option<int>("--replicas") { Description = "Replicas of the primary (and of the canary while it runs); a label-ratio split needs enough of them.", DefaultValueFactory = _ => 2 };
        var format = new Option<string>("--output") { Description = "text (a Flagger-like log) or json (one event per line).", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "json");
        var report = new Option<FileInfo?>("--report") { Description = "Also write the rollout as a self-contained HTML page (timeline, metrics, events) to this file." };
        var cluster = new Option<string>("--cluster") { Description = "memory (a simulated cluster) or fake (a fake Kubernetes API server, driven through the real client, workload controller and status store).", DefaultValueFactory = _ => "memory" };
        cluster.AcceptOnlyFromAmong("memory", "fake");

        var command = new Command("simulate", "Simulate a rollout of the spec against simulated traffic, on virtual time.")
        {
            file, canaryName, rps, primaryErrors, canaryErrors, primaryLatency, canaryLatency, metrics, webhooks, seed, replicas, format, report, cluster,
        };

        command.SetAction(async (parse, cancellationToken) =>
        {
            var manifest = await ManifestLoader.LoadAsync(parse.GetRequiredValue(file), error, cancellationToken);
            if (manifest is null)
            {
                return ExitCodes.InvalidInput;
            }

            var problems = new List<string>();
            var canary = SelectCanary(manifest.Canaries, parse.GetValue(canaryName), problems);
            var settings = new SimulationSettings(
                parse.GetValue(rps), parse.GetValue(primaryErrors), parse.GetValue(canaryErrors),
                parse.GetValue(primaryLatency), parse.GetValue(canaryLatency), parse.GetValue(seed), parse.GetValue(replicas));
            settings.Validate(problems);
            var reportFile = parse.GetValue(report);
            if (reportFile is { Directory.Exists: false })
            {
                problems.Add($"--report {reportFile.FullName}: the directory {reportFile.DirectoryName} does not exist");
            }

            var metricValues = ParsePairs(parse.GetValue(metrics), "--metric", ParseMetricValue, problems);
            var webhookOutcomes = ParsePairs(parse.GetValue(webhooks), "--webhook", ParseWebhookOutcome, problems);
            if (canary is not null)
            {
                foreach (var name in webhookOutcomes.Keys.Where(name => canary.Spec.Analysis.Webhooks.All(w => w.Name != name)))
                {
                    problems.Add($"--webhook {name}: the canary has no webhook named \"{name}\"");
                }

                foreach (var name in metricValues.Keys.Where(name => canary.Spec.Analysis.Metrics.All(m => m.Name != name && m.TemplateRef?.Name != name)))
                {
                    problems.Add($"--metric {name}: the canary has no metric or template named \"{name}\"");
                }
            }

            if (canary is null || problems.Count > 0)
            {
                foreach (var problem in problems)
                {
                    await error.WriteLineAsync(problem);
                }

                return ExitCodes.InvalidInput;
            }

            IEventWriter writer = parse.GetValue(format) == "json" ? new JsonEventWriter(output) : new TextEventWriter(output);
            var options = settings.ToOptions(metricValues, webhookOutcomes.Where(p => !p.Value).Select(p => p.Key).ToList(), writer.Write);
            CanarySimulationResult result;
            try
            {
                result = parse.GetValue(cluster) == "fake"
                    ? await new FakeClusterSimulation(canary, manifest.MetricTemplates, options).RunAsync(cancellationToken)
                    : await new CanarySimulation(canary, manifest.MetricTemplates, options).RunAsync(cancellationToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // A spec the router or workloads cannot serve (say, an A/B match the provider cannot express) is bad input.
                await error.WriteLineAsync($"simulate: {exception.Message}");
                return ExitCodes.InvalidInput;
            }

            writer.WriteSummary(result);
            if (reportFile is not null && !await RolloutReportFile.TryWriteAsync(reportFile, RolloutReport.FromSimulation(canary, result, options), error, cancellationToken))
            {
                return ExitCodes.InvalidInput;
            }

            return result.Promoted ? ExitCodes.Success : ExitCodes.RolloutFailed;
        });
        return command;
    }

    private static CanaryResource? SelectCanary(IReadOnlyList<CanaryResource> canaries, string? name, List<string> problems)
    {
        if (name is null)
        {
            if (canaries.Count == 1)
            {
                return canaries[0];
            }

            problems.Add($"--canary: the file holds {canaries.Count} canaries ({string.Join(", ", canaries.Select(c => c.Id.Name))}); name one");
            return null;
        }

        var canary = canaries.FirstOrDefault(c => c.Id.Name == name);
        if (canary is null)
        {
            problems.Add($"--canary {name}: no canary of that name in the file");
        }

        return canary;
    }

    private static Dictionary<string, T> ParsePairs<T>(string[]? values, string option, Func<string, T?> parseValue, List<string> problems)
        where T : struct
    {
        var pairs = new Dictionary<string, T>(StringComparer.Ordinal);
        foreach (var text in values ?? [])
        {
            var equals = text.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                problems.Add($"{option} {text}: expected NAME=VALUE");
                continue;
            }

            var name = text[..equals];
            var value = parseValue(text[(equals + 1)..]);
            if (value is null)
            {
                problems.Add($"{option} {text}: \"{text[(equals + 1)..]}\" is not a valid value");
                continue;
            }

            pairs[name] = value.Value;
        }

        return pairs;
    }

    private static double? ParseMetricValue(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value) ? value : null;

    private static bool? ParseWebhookOutcome(string text) => text switch
    {
        "pass" => true,
        "fail" => false,
        _ => null,
    };
}
