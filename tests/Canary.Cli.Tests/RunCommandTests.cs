using System.Text.Json.Nodes;
using Canary.Kubernetes.Client;
using Canary.Kubernetes.Configuration;
using Canary.Testing.Kubernetes;

namespace Canary.Cli.Tests;

/// <summary><c>canary run</c> against the fake API server, reached through a kubeconfig file as a real cluster would be.</summary>
public sealed class RunCommandTests : IAsyncLifetime
{
    private const string Namespace = "test";

    // Blue/green with the kubernetes provider: two iterations of a second each, nothing to measure.
    private const string Canary = """
        apiVersion: canary.dev/v1
        kind: Canary
        metadata:
          name: podinfo
        spec:
          provider: kubernetes
          targetRef:
            apiVersion: apps/v1
            kind: Deployment
            name: podinfo
          service:
            port: 80
            targetPort: 9898
          analysis:
            interval: 1s
            threshold: 1
            iterations: 2
        """;

    private readonly string _directory = Directory.CreateTempSubdirectory("canary-run-").FullName;
    private FakeKubernetesApiServer _server = null!;

    private string Kubeconfig => Path.Combine(_directory, "kubeconfig");

    public async Task InitializeAsync()
    {
        _server = await StartServerAsync();
        await File.WriteAllTextAsync(Kubeconfig, _server.CreateKubeconfig(Namespace));
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Run_FileAppliedToTheCluster_RollsTheNewImageOutAndWritesTheReportAtExit()
    {
        InstallCanaryDefinition();
        _server.PutObject(Deployment());
        var file = Write("podinfo.yaml", Canary);
        var report = Path.Combine(_directory, "report.html");

        await using var run = LiveCliRun.Start("run", file, "--kubeconfig", Kubeconfig, "--report", report, "--metrics-server", "http://127.0.0.1:9/");
        await run.WaitForOutputAsync(line => line.EndsWith("Initialization done! podinfo.test", StringComparison.Ordinal), "the canary to be initialized");
        await SetImageAsync("ghcr.io/stefanprodan/podinfo:6.0.1");
        await run.WaitForOutputAsync(line => line.EndsWith("Promotion completed! Scaling down podinfo.test", StringComparison.Ordinal), "the promotion");
        var exitCode = await run.StopAsync();

        exitCode.Should().Be(ExitCodes.Success, run.Error.ToString());
        run.Output.Lines.Should().Contain("Applied canaries.canary.dev/podinfo in test.");
        Phase().Should().Be("Succeeded");
        Image("podinfo-primary").Should().Be("ghcr.io/stefanprodan/podinfo:6.0.1");
        var lease = _server.GetObject("coordination.k8s.io/v1", "Lease", "canary-controller", Namespace)!;
        lease["spec"]!["holderIdentity"]!.GetValue<string>().Should().BeEmpty("Ctrl+C releases the Lease");
        var html = await File.ReadAllTextAsync(report);
        html.Should().Contain("data-outcome=\"promoted\"").And.Contain("Promotion completed!");
    }

    [Fact]
    public async Task Run_UntilFinishedAndPromoted_StopsByItselfWithSuccess()
    {
        InstallCanaryDefinition();
        _server.PutObject(Deployment());
        var file = Write("podinfo.yaml", Canary);

        await using var run = LiveCliRun.Start("run", file, "--kubeconfig", Kubeconfig, "--until-finished");
        await run.WaitForOutputAsync(line => line.EndsWith("Initialization done! podinfo.test", StringComparison.Ordinal), "the canary to be initialized");
        await SetImageAsync("ghcr.io/stefanprodan/podinfo:6.0.1");
        var exitCode = await run.Run.WaitAsync(LiveCliRun.Timeout);

        exitCode.Should().Be(ExitCodes.Success, run.Error.ToString());
        run.Output.Lines.Should().Contain("podinfo.test: promoted.");
        Phase().Should().Be("Succeeded");
    }

    [Fact]
    public async Task Run_UntilFinishedAndRolledBack_StopsByItselfWithFailure()
    {
        InstallCanaryDefinition();
        _server.PutObject(Deployment());
        var failingGate = Canary + "\n    webhooks:\n      - {name: acceptance, type: rollout, url: 'http://127.0.0.1:9/', timeout: 1s}\n";
        var file = Write("podinfo.yaml", failingGate);

        await using var run = LiveCliRun.Start("run", file, "--kubeconfig", Kubeconfig, "--until-finished");
        await run.WaitForOutputAsync(line => line.EndsWith("Initialization done! podinfo.test", StringComparison.Ordinal), "the canary to be initialized");
        await SetImageAsync("ghcr.io/stefanprodan/podinfo:6.0.1");
        var exitCode = await run.Run.WaitAsync(LiveCliRun.Timeout);

        exitCode.Should().Be(ExitCodes.RolloutFailed, run.Error.ToString());
        run.Output.Lines.Should().Contain("podinfo.test: rolled back.");
        Phase().Should().Be("Failed");
    }

    [Fact]
    public async Task Run_UntilFinishedWithoutFile_FailsNamingTheOption()
    {
        var run = await CliRun.RunAsync("run", "--kubeconfig", Kubeconfig, "--until-finished");

        run.ExitCode.Should().Be(ExitCodes.InvalidInput);
        run.Error.Should().Contain("--until-finished: needs FILE");
    }

    [Fact]
    public async Task Run_WithoutFile_RunsTheCanariesAlreadyInTheNamespace()
    {
        InstallCanaryDefinition();
        _server.PutObject(Deployment());
        _server.PutObject(CanaryObject());

        await using var run = LiveCliRun.Start("run", "--kubeconfig", Kubeconfig, "--namespace", Namespace);
        await run.WaitForOutputAsync(line => line.EndsWith("Initialization done! podinfo.test", StringComparison.Ordinal), "the canary to be initialized");
        var exitCode = await run.StopAsync();

        exitCode.Should().Be(ExitCodes.Success);
        run.Output.Lines[0].Should().Contain("every canary in namespace test");
        Phase().Should().Be("Initialized");
    }

    [Fact]
    public async Task Run_KubeconfigMissing_FailsNamingTheOption()
    {
        var missing = Path.Combine(_directory, "missing");

        var run = await CliRun.RunAsync("run", "--kubeconfig", missing);

        run.ExitCode.Should().Be(ExitCodes.InvalidInput);
        run.ErrorLines.Should().Equal($"--kubeconfig {missing}: file not found");
    }

    [Fact]
    public async Task Run_UnknownContext_FailsNamingTheOption()
    {
        var run = await CliRun.RunAsync("run", "--kubeconfig", Kubeconfig, "--context", "production");

        run.ExitCode.Should().Be(ExitCodes.InvalidInput);
        run.ErrorLines.Should().ContainSingle().Which.Should().StartWith("--context production: no context named \"production\"");
    }

    [Fact]
    public async Task Run_UnreachableServer_FailsNamingTheOptionAndTheServer()
    {
        var kubeconfig = Write("unreachable", _server.CreateKubeconfig(Namespace).Replace(_server.BaseAddress.ToString().TrimEnd('/'), "http://127.0.0.1:9", StringComparison.Ordinal));

        var run = await CliRun.RunAsync("run", "--kubeconfig", kubeconfig);

        run.ExitCode.Should().Be(ExitCodes.InvalidInput);
        run.ErrorLines.Should().ContainSingle().Which.Should().StartWith($"--kubeconfig {kubeconfig}: cannot reach the API server http://127.0.0.1:9/");
    }

    [Fact]
    public async Task Run_CanaryDefinitionNotInstalled_SaysToApplyDeployCrds()
    {
        var run = await CliRun.RunAsync("run", "--kubeconfig", Kubeconfig);

        run.ExitCode.Should().Be(ExitCodes.InvalidInput);
        run.ErrorLines.Should().ContainSingle().Which.Should().Contain("the Canary CRD is not installed; apply deploy/crds first");
    }

    [Fact]
    public async Task Run_NamespaceAndAllNamespaces_FailsNamingTheOption()
    {
        var run = await CliRun.RunAsync("run", "--kubeconfig", Kubeconfig, "--namespace", Namespace, "--all-namespaces");

        run.ExitCode.Should().Be(ExitCodes.InvalidInput);
        run.ErrorLines.Should().Equal("--all-namespaces: cannot be combined with --namespace");
    }

    [Fact]
    public async Task Run_MetricsServerNotAUrl_FailsNamingTheOption()
    {
        var run = await CliRun.RunAsync("run", "--kubeconfig", Kubeconfig, "--metrics-server", "prometheus:9090");

        run.ExitCode.Should().Be(ExitCodes.InvalidInput);
        run.ErrorLines.Should().Equal("--metrics-server prometheus:9090: must be an absolute http or https URL, such as http://prometheus.monitoring:9090");
    }

    [Fact]
    public async Task Run_InvalidFile_FailsWithEveryErrorAndAppliesNothing()
    {
        InstallCanaryDefinition();
        var file = Write("invalid.yaml", Canary.Replace("iterations: 2", "iterations: 2\n    stepWeight: 500", StringComparison.Ordinal));

        var run = await CliRun.RunAsync("run", file, "--kubeconfig", Kubeconfig);

        run.ExitCode.Should().Be(ExitCodes.InvalidInput);
        run.Error.Should().Contain("spec.analysis.stepWeight");
        _server.ListObjects("canary.dev/v1", "Canary").Should().BeEmpty();
    }

    [Fact]
    public async Task Run_FileCanaryInAnotherNamespace_FailsNamingIt()
    {
        InstallCanaryDefinition();
        var file = Write("elsewhere.yaml", Canary.Replace("  name: podinfo\nspec", "  name: podinfo\n  namespace: prod\nspec", StringComparison.Ordinal));

        var run = await CliRun.RunAsync("run", file, "--kubeconfig", Kubeconfig, "--namespace", Namespace);

        run.ExitCode.Should().Be(ExitCodes.InvalidInput);
        run.ErrorLines.Should().Equal("elsewhere.yaml: Canary podinfo is in namespace prod, but only test is run (use -A for every namespace)");
    }

    private static async Task<FakeKubernetesApiServer> StartServerAsync()
    {
        var server = new FakeKubernetesApiServer();
        await server.StartAsync();
        server.CreateNamespace(Namespace);
        return server;
    }

    private void InstallCanaryDefinition() =>
        _server.RegisterCustomResource("canary.dev", "v1", "canaries", "Canary", hasStatusSubresource: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, text);
        return path;
    }

    private async Task SetImageAsync(string image)
    {
        using var kubectl = new KubernetesApiClient(new KubernetesClientConfiguration { Host = _server.BaseAddress, AccessToken = "user" });
        await kubectl.PatchAsync(ResourceType.Deployments, Namespace, "podinfo", KubernetesPatch.Json(new JsonArray(
            new JsonObject { ["op"] = "replace", ["path"] = "/spec/template/spec/containers/0/image", ["value"] = image })));
    }

    private string? Phase() => _server.GetObject("canary.dev/v1", "Canary", "podinfo", Namespace)?["status"]?["phase"]?.GetValue<string>();

    private string? Image(string deployment) =>
        _server.GetObject("apps/v1", "Deployment", deployment, Namespace)?["spec"]?["template"]?["spec"]?["containers"]?[0]?["image"]?.GetValue<string>();

    private static JsonObject CanaryObject() => new()
    {
        ["apiVersion"] = "canary.dev/v1",
        ["kind"] = "Canary",
        ["metadata"] = new JsonObject { ["name"] = "podinfo", ["namespace"] = Namespace },
        ["spec"] = new JsonObject
        {
            ["provider"] = "kubernetes",
            ["targetRef"] = new JsonObject { ["apiVersion"] = "apps/v1", ["kind"] = "Deployment", ["name"] = "podinfo" },
            ["service"] = new JsonObject { ["port"] = 80, ["targetPort"] = 9898 },
            ["analysis"] = new JsonObject { ["interval"] = "1s", ["threshold"] = 1, ["iterations"] = 2 },
        },
    };

    private static JsonObject Deployment() => new()
    {
        ["apiVersion"] = "apps/v1",
        ["kind"] = "Deployment",
        ["metadata"] = new JsonObject { ["name"] = "podinfo", ["namespace"] = Namespace, ["labels"] = new JsonObject { ["app"] = "podinfo" } },
        ["spec"] = new JsonObject
        {
            ["replicas"] = 2,
            ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = "podinfo" } },
            ["template"] = new JsonObject
            {
                ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["app"] = "podinfo" } },
                ["spec"] = new JsonObject
                {
                    ["containers"] = new JsonArray(new JsonObject { ["name"] = "podinfod", ["image"] = "ghcr.io/stefanprodan/podinfo:6.0.0" }),
                },
            },
        },
    };
}
