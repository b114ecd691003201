using System.CommandLine;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Canary.Cli.Reports;
using Canary.Cli.Sandbox;
using Canary.Kubernetes.Client;
using Canary.Kubernetes.Configuration;
using Canary.Kubernetes.State;
using Canary.Model;

namespace Canary.Cli.Commands;

/// <summary>
/// <c>canary run [FILE]</c>: runs Canary's controller against a real cluster, as Flagger's operator runs: every Canary object of
/// the namespace (or of all namespaces), or only those of FILE, which are applied first. Ctrl+C stops it cleanly: running steps
/// finish and the Lease is released. Exit 0 when stopped, 1 when the controller failed, 2 on invalid input (an option, the file,
/// a kubeconfig that does not lead to a reachable cluster with Canary's CRDs). With <c>--until-finished</c> (a CI step), it
/// stops by itself once every canary of FILE has finished a rollout: 0 when all were promoted, 1 when one was rolled back or
/// the run was stopped before.
/// </summary>
internal static partial class RunCommand
{
    private const string FieldManager = "canary-cli";
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(15);

    public static Command Create(TextWriter output, TextWriter error)
    {
        var file = new Argument<FileInfo?>("file")
        {
            Arity = ArgumentArity.ZeroOrOne,
            Description = "A YAML or JSON file: its Canary and MetricTemplate objects are applied to the cluster first, and only its canaries run.",
        };
        var kubeconfig = new Option<FileInfo?>("--kubeconfig") { Description = "The kubeconfig file (default: $KUBECONFIG, else ~/.kube/config, else the pod's service account)." };
        var context = new Option<string?>("--context") { Description = "The kubeconfig context to use (default: its current-context)." };
        var ns = new Option<string?>("--namespace", "-n") { Description = "The namespace whose canaries run, and of the Lease (default: the context's namespace)." };
        var all = new Option<bool>("--all-namespaces", "-A") { Description = "Run the canaries of every namespace." };
        var metricsServer = new Option<string?>("--metrics-server") { Description = "The Prometheus server that answers the builtin metrics (request-success-rate, request-duration), as Flagger's -metrics-server." };
        var provider = new Option<string>("--provider")
        {
            Description = $"The traffic provider of canaries whose spec names none: {string.Join(", ", TrafficProviders.All)}.",
            DefaultValueFactory = _ => TrafficProviders.Kubernetes,
        };
        var lease = new Option<string>("--lease") { Description = "The name of the controller's Lease: one replica runs the canaries at a time.", DefaultValueFactory = _ => "canary-controller" };
        var flagger = new Option<bool>("--flagger") { Description = "Run Flagger's flagger.app/v1beta1 Canary objects instead of canary.dev/v1 ones." };
        var untilFinished = new Option<bool>("--until-finished")
        {
            Description = "Stop once every canary of FILE has finished a rollout that this run saw start: exit 0 when all were promoted, 1 otherwise (for CI).",
        };
        var report = new Option<FileInfo?>("--report") { Description = "At exit, write each canary's rollouts as a self-contained HTML page (one canary: this file; several: FILE-NAME.NAMESPACE.html)." };
        var command = new Command("run", "Run the canaries of a cluster (or of FILE, applied first) until Ctrl+C, as Flagger's operator does.")
        {
            file, kubeconfig, context, ns, all, metricsServer, provider, lease, flagger, untilFinished, report,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var settings = new RunSettings(
                parse.GetValue(file), parse.GetValue(kubeconfig), parse.GetValue(context), parse.GetValue(ns), parse.GetValue(all),
                parse.GetValue(metricsServer), parse.GetRequiredValue(provider), parse.GetRequiredValue(lease), parse.GetValue(flagger), parse.GetValue(untilFinished),
                parse.GetValue(report));
            return await new Run(settings, TextWriter.Synchronized(output), TextWriter.Synchronized(error)).ExecuteAsync(cancellationToken);
        });
        return command;
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex DnsSubdomain();

    /// <summary>The options as given on the command line.</summary>
    private sealed record RunSettings(
        FileInfo? File, FileInfo? Kubeconfig, string? Context, string? Namespace, bool AllNamespaces, string? MetricsServer,
        string Provider, string Lease, bool Flagger, bool UntilFinished, FileInfo? Report);

    /// <summary>One run of the verb.</summary>
    private sealed class Run(RunSettings settings, TextWriter output, TextWriter error)
    {
        private string _group = settings.Flagger ? CanaryResourceTypes.FlaggerGroup : CanaryResourceTypes.DefaultGroup;
        private string _version = settings.Flagger ? CanaryResourceTypes.FlaggerVersion : CanaryResourceTypes.DefaultVersion;

        public async Task<int> ExecuteAsync(CancellationToken cancellationToken)
        {
            var problems = CheckOptions(out var metricsServer);
            List<JsonObject> documents = [];
            if (settings.File is { } file && problems.Count == 0)
            {
                if (await ManifestLoader.LoadAsync(file, error, cancellationToken) is null)
                {
                    return ExitCodes.InvalidInput;
                }

                documents = OwnDocuments(YamlDocuments.Read(await File.ReadAllTextAsync(file.FullName, cancellationToken)), problems);
            }

            var configuration = problems.Count == 0 ? Connect(problems) : null;
            if (configuration is null || problems.Count > 0)
            {
                return await FailAsync(problems);
            }

            var watched = settings.AllNamespaces ? null : settings.Namespace ?? configuration.Namespace;
            var leaseNamespace = settings.Namespace ?? configuration.Namespace;
            var canaryResource = CanaryResourceTypes.Canary(_group, _version);
            IReadOnlyList<CanaryId> canaries = [];
            using (var api = new KubernetesApiClient(configuration, new KubernetesClientOptions { MaxRetryAttempts = 0, RequestTimeout = ConnectTimeout, UserAgent = "canary-cli" }))
            {
                if (!await CheckClusterAsync(api, configuration, canaryResource, watched, problems, cancellationToken))
                {
                    return await FailAsync(problems);
                }

                if (settings.File is not null)
                {
                    canaries = await ApplyAsync(api, documents, configuration.Namespace, watched, problems, cancellationToken);
                    if (problems.Count > 0)
                    {
                        return await FailAsync(problems);
                    }

                    // One namespace to watch when the file's canaries share one: the controller then needs no cluster-wide rights.
                    if (settings.AllNamespaces && canaries.Select(c => c.Namespace).Distinct().Count() == 1)
                    {
                        watched = canaries[0].Namespace;
                    }
                }
            }

            var hostSettings = new ControllerHostSettings
            {
                Configuration = configuration,
                Namespace = watched,
                Canaries = canaries,
                LeaseNamespace = leaseNamespace,
                LeaseName = settings.Lease,
                Provider = settings.Provider,
                CanaryGroup = _group,
                CanaryVersion = _version,
                MetricsServer = metricsServer,
                Source = $"Cluster {configuration.ContextName ?? configuration.Host.ToString()}",
                Generator = "canary run",
            };
            return await RunControllerAsync(hostSettings, cancellationToken);
        }

        private async Task<int> RunControllerAsync(ControllerHostSettings host, CancellationToken cancellationToken)
        {
            await using var controller = ControllerHost.Create(host, output, error);
            var scope = host.Canaries.Count > 0
                ? string.Join(", ", host.Canaries.Select(c => c.ToString()))
                : host.Namespace is { } only ? $"every canary in namespace {only}" : "every canary in every namespace";
            output.WriteLine($"Canary controller: {scope} ({host.CanaryGroup}/{host.CanaryVersion}) on {host.Configuration.Host}.");
            output.WriteLine($"  Lease {host.LeaseNamespace}/{host.LeaseName} as {controller.Controller.Elector.Identity}; default provider {host.Provider}.");
            output.WriteLine(host.MetricsServer is { } prometheus
                ? $"  Builtin metrics from Prometheus at {prometheus}."
                : "  No --metrics-server: builtin metrics (request-success-rate, request-duration) have no provider and fail their checks.");
            output.WriteLine(settings.UntilFinished
                ? "  Stops once every canary has finished a rollout; Ctrl+C stops sooner: running steps finish, the Lease is released."
                : "  Ctrl+C stops: running steps finish, the Lease is released.");
            var completion = settings.UntilFinished ? new RolloutCompletion(host.Canaries) : null;
            try
            {
                await RunUntilAsync(controller, completion, cancellationToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                await error.WriteLineAsync($"run: the controller failed: {exception.Message}");
                return ExitCodes.RolloutFailed;
            }

            output.WriteLine($"Stopped; the Lease {host.LeaseNamespace}/{host.LeaseName} is released.");
            if (settings.Report is { } report && !await WriteReportsAsync(controller, host, report))
            {
                return ExitCodes.InvalidInput;
            }

            return completion is null ? ExitCodes.Success : Verdict(completion);
        }

        private static async Task RunUntilAsync(ControllerHost controller, RolloutCompletion? completion, CancellationToken cancellationToken)
        {
            if (completion is null)
            {
                await controller.RunAsync(cancellationToken);
                return;
            }

            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            controller.Controller.StepCompleted += completion.Observe;
            var running = controller.RunAsync(stop.Token);
            await Task.WhenAny(running, completion.AllFinished);
            await stop.CancelAsync();
            await running;
        }

        private int Verdict(RolloutCompletion completion)
        {
            foreach (var (id, phase) in completion.Outcomes.OrderBy(o => o.Key.ToString(), StringComparer.Ordinal))
            {
                output.WriteLine($"{id}: {(phase == CanaryPhase.Succeeded ? "promoted" : "rolled back")}.");
            }

            if (!completion.AllFinished.IsCompleted)
            {
                output.WriteLine("Stopped before every canary had finished a rollout.");
            }

            return completion.AllPromoted ? ExitCodes.Success : ExitCodes.RolloutFailed;
        }

        private List<string> CheckOptions(out Uri? metricsServer)
        {
            var problems = new List<string>();
            metricsServer = null;
            if (settings.File is { Exists: false } missing)
            {
                problems.Add($"{missing.FullName}: file not found");
            }

            if (settings.Kubeconfig is { Exists: false } kubeconfig)
            {
                problems.Add($"--kubeconfig {kubeconfig.FullName}: file not found");
            }

            if (settings.Context is { } context && string.IsNullOrWhiteSpace(context))
            {
                problems.Add("--context: must not be empty");
            }

            if (settings.Namespace is { } ns && !IsDnsLabel(ns))
            {
                problems.Add($"--namespace {ns}: not a namespace name (lower-case letters, digits and '-', at most 63)");
            }

            if (settings.UntilFinished && settings.File is null)
            {
                problems.Add("--until-finished: needs FILE, whose canaries it waits for");
            }

            if (settings.Namespace is not null && settings.AllNamespaces)
            {
                problems.Add("--all-namespaces: cannot be combined with --namespace");
            }

            if (settings.MetricsServer is { } address)
            {
                if (Uri.TryCreate(address, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
                {
                    metricsServer = uri;
                }
                else
                {
                    problems.Add($"--metrics-server {address}: must be an absolute http or https URL, such as http://prometheus.monitoring:9090");
                }
            }

            if (!TrafficProviders.IsKnown(settings.Provider))
            {
                problems.Add($"--provider {settings.Provider}: not a known provider (known: {string.Join(", ", TrafficProviders.All)})");
            }

            if (settings.Lease.Length > 253 || !DnsSubdomain().IsMatch(settings.Lease))
            {
                problems.Add($"--lease {settings.Lease}: not a Lease name (lower-case letters, digits, '-' and '.')");
            }

            if (settings.Report is { Directory.Exists: false } report)
            {
                problems.Add($"--report {report.FullName}: the directory {report.DirectoryName} does not exist");
            }

            return problems;
        }

        /// <summary>Picks the Canary and MetricTemplate objects of the file, and the API group they share.</summary>
        private List<JsonObject> OwnDocuments(IReadOnlyList<JsonObject> documents, List<string> problems)
        {
            var own = documents.Where(d => Kind(d) is "Canary" or "MetricTemplate" && Group(d) is CanaryResourceTypes.DefaultGroup or CanaryResourceTypes.FlaggerGroup).ToList();
            var groups = own.Where(d => Kind(d) == "Canary").Select(Group).Distinct(StringComparer.Ordinal).ToList();
            if (groups.Count > 1)
            {
                problems.Add($"{settings.File!.Name}: mixes {string.Join(" and ", groups)} Canary objects; one controller runs one API group");
            }
            else if (groups is [var group])
            {
                if (settings.Flagger && group != CanaryResourceTypes.FlaggerGroup)
                {
                    problems.Add($"--flagger: the canaries of {settings.File!.Name} are {group} objects, not flagger.app ones");
                }

                _group = group;
                _version = group == CanaryResourceTypes.FlaggerGroup ? CanaryResourceTypes.FlaggerVersion : CanaryResourceTypes.DefaultVersion;
            }

            return own;
        }

        private KubernetesClientConfiguration? Connect(List<string> problems)
        {
            try
            {
                return settings.Kubeconfig is { } file
                    ? KubernetesClientConfiguration.FromKubeConfigFile(file.FullName, settings.Context)
                    : KubernetesClientConfiguration.BuildDefault(settings.Context);
            }
            catch (KubeConfigException exception)
            {
                problems.Add(exception.Field == "contexts" && settings.Context is { } context
                    ? $"--context {context}: {exception.Problem} in {settings.Kubeconfig?.FullName ?? "the kubeconfig"}"
                    : $"--kubeconfig {settings.Kubeconfig?.FullName ?? "(default)"}: {exception.Message}");
                return null;
            }
        }

        /// <summary>Reads one Canary: the server must answer, accept the credentials and serve the Canary resource.</summary>
        private async Task<bool> CheckClusterAsync(
            KubernetesApiClient api, KubernetesClientConfiguration configuration, ResourceType canaries, string? watched, List<string> problems, CancellationToken cancellationToken)
        {
            var where = $"the API server {configuration.Host} (context {configuration.ContextName ?? "in-cluster"})";
            try
            {
                await api.ListAsync(canaries, watched, new ListOptions { Limit = 1 }, cancellationToken);
                return true;
            }
            catch (KubernetesException exception) when (exception.IsNotFound)
            {
                problems.Add($"{where} does not serve {canaries.GroupResource}/{canaries.Version}: the Canary CRD is not installed; apply deploy/crds first (kubectl apply -f deploy/crds)");
            }
            catch (KubernetesException exception) when (exception.IsUnauthorized || exception.IsForbidden)
            {
                problems.Add($"--kubeconfig {settings.Kubeconfig?.FullName ?? "(default)"}: {where} refused the credentials: {exception.Message}");
            }
            catch (Exception exception) when (exception is HttpRequestException or IOException or TimeoutException or KubernetesException
                || (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                problems.Add($"--kubeconfig {settings.Kubeconfig?.FullName ?? "(default)"}: cannot reach {where}: {exception.Message}");
            }

            return false;
        }

        /// <summary>Server-side applies the file's MetricTemplates, then its Canaries; returns the canaries to run.</summary>
        private async Task<IReadOnlyList<CanaryId>> ApplyAsync(
            KubernetesApiClient api, List<JsonObject> documents, string contextNamespace, string? watched, List<string> problems, CancellationToken cancellationToken)
        {
            var canaries = new List<CanaryId>();
            foreach (var document in documents.OrderBy(d => Kind(d) == "Canary"))
            {
                var kind = Kind(document);
                var metadata = document["metadata"] as JsonObject ?? [];
                document["metadata"] = metadata;
                var name = metadata["name"]?.GetValue<string>() ?? string.Empty;
                var objectNamespace = metadata["namespace"]?.GetValue<string>() ?? settings.Namespace ?? contextNamespace;
                metadata["namespace"] = objectNamespace;
                document.Remove("status");
                if (watched is not null && objectNamespace != watched)
                {
                    problems.Add($"{settings.File!.Name}: {kind} {name} is in namespace {objectNamespace}, but only {watched} is run (use -A for every namespace)");
                    continue;
                }

                var version = document["apiVersion"]!.GetValue<string>().Split('/')[1];
                var resource = kind == "Canary" ? CanaryResourceTypes.Canary(Group(document), version) : CanaryResourceTypes.MetricTemplate(Group(document), version);
                try
                {
                    await api.ApplyAsync(resource, document, FieldManager, force: true, cancellationToken);
                    output.WriteLine($"Applied {resource.GroupResource}/{name} in {objectNamespace}.");
                }
                catch (KubernetesException exception) when (exception.IsNotFound && exception.Status?.Details?.Name is null or "")
                {
                    problems.Add($"{settings.File!.Name}: the cluster does not serve {resource.GroupResource}/{resource.Version}: apply deploy/crds first (kubectl apply -f deploy/crds)");
                    continue;
                }
                catch (KubernetesException exception)
                {
                    problems.Add($"{settings.File!.Name}: applying {kind} {objectNamespace}/{name} failed: {exception.Message}");
                    continue;
                }

                if (kind == "Canary")
                {
                    canaries.Add(new CanaryId(name, objectNamespace));
                }
            }

            return canaries;
        }

        private async Task<bool> WriteReportsAsync(ControllerHost controller, ControllerHostSettings host, FileInfo report)
        {
            var details = new List<KeyValuePair<string, string>>
            {
                new("Cluster", host.Configuration.Host.ToString()),
                new("Lease", $"{host.LeaseNamespace}/{host.LeaseName}"),
                new("Builtin metrics", host.MetricsServer?.ToString() ?? "none"),
            };
            var reports = controller.Reports(details);
            if (reports.Count == 0)
            {
                output.WriteLine($"--report: no canary had events, so {report.Name} was not written.");
                return true;
            }

            foreach (var rollout in reports)
            {
                var path = reports.Count == 1
                    ? report
                    : new FileInfo(Path.Combine(report.DirectoryName!, $"{Path.GetFileNameWithoutExtension(report.Name)}-{rollout.Canary.Id}{report.Extension}"));
                if (!await RolloutReportFile.TryWriteAsync(path, rollout, error, CancellationToken.None))
                {
                    return false;
                }

                output.WriteLine($"Wrote the report of {rollout.Canary.Id} to {path.FullName}.");
            }

            return true;
        }

        private async Task<int> FailAsync(List<string> problems)
        {
            foreach (var problem in problems)
            {
                await error.WriteLineAsync(problem);
            }

            return ExitCodes.InvalidInput;
        }

        private static string? Kind(JsonObject document) => document["kind"] is JsonValue kind && kind.TryGetValue<string>(out var text) ? text : null;

        private static string Group(JsonObject document) =>
            document["apiVersion"] is JsonValue value && value.TryGetValue<string>(out var text) && text.Contains('/', StringComparison.Ordinal)
                ? text[..text.IndexOf('/', StringComparison.Ordinal)]
                : string.Empty;

        private static bool IsDnsLabel(string text) =>
            text.Length is > 0 and <= 63 && DnsSubdomain().IsMatch(text) && !text.Contains('.', StringComparison.Ordinal);
    }
}
