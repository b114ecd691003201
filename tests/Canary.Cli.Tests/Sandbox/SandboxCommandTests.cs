using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Canary.Cli.Sandbox;

namespace Canary.Cli.Tests.Sandbox;

/// <summary>
/// <c>canary sandbox</c> driven by the real kubectl, as docs/sandbox.md tells a user to: apply the sample, wait for the canary to
/// be initialized, release a new image, and watch the rollout (<c>kubectl get canaries -w</c>) succeed. The sample's interval is shortened to keep the test brief.
/// </summary>
public sealed class SandboxCommandTests : IDisposable
{
    private const string NewImage = "podinfod=ghcr.io/stefanprodan/podinfo:2.0.0";
    private readonly string _directory = Directory.CreateTempSubdirectory("canary-sandbox-").FullName;

    /// <summary>The sample with a step every 2 seconds judged on 4 seconds of requests, as the demo's fast pace.</summary>
    private static string FastSample => SandboxEnvironment.Sample
        .Replace("interval: 5s", "interval: 2s", StringComparison.Ordinal)
        .Replace("interval: 10s", "interval: 4s", StringComparison.Ordinal);

    [KubectlFact]
    public async Task Sandbox_KubectlAppliesTheSampleAndSetsANewImage_RolloutSucceeds()
    {
        var kubeconfig = Path.Combine(_directory, "sandbox.kubeconfig");
        await using var sandbox = LiveCliRun.Start("sandbox", "--kubeconfig", kubeconfig);
        await sandbox.WaitForOutputAsync(line => line.Contains("export KUBECONFIG=", StringComparison.Ordinal), "the sandbox to start");
        using var kubectl = KubectlRunner.Create(await File.ReadAllTextAsync(kubeconfig));
        var manifest = kubectl.WriteFile("podinfo.yaml", FastSample);

        var applied = await kubectl.RunAsync("apply", "-f", manifest);
        var initialized = await kubectl.RunAsync("wait", "canary/podinfo", "--for=jsonpath={.status.phase}=Initialized", "--timeout=60s");
        using var watch = kubectl.StartStreaming("get", "canaries", "-w");
        var header = await watch.WaitForLineAsync(line => line.StartsWith("NAME", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        await watch.WaitForLineAsync(line => line.Contains("Initialized", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        var released = await kubectl.RunAsync("set", "image", "deployment/podinfo", NewImage);
        var progressing = await watch.WaitForLineAsync(line => Regex.IsMatch(line, "^podinfo +Progressing +25 "), TimeSpan.FromSeconds(60));
        var succeeded = await kubectl.RunAsync("wait", "canary/podinfo", "--for=jsonpath={.status.phase}=Succeeded", "--timeout=90s");
        var primaryImage = await kubectl.RunAsync("get", "deployment/podinfo-primary", "-o", "jsonpath={.spec.template.spec.containers[0].image}");
        var described = await kubectl.RunAsync("describe", "canary", "podinfo");
        var exitCode = await sandbox.StopAsync();

        applied.ExitCode.Should().Be(0, applied.ToString());
        applied.StdOut.Should().Contain("canary.canary.dev/podinfo created");
        initialized.ExitCode.Should().Be(0, $"{initialized}\n{sandbox.Output}");
        released.ExitCode.Should().Be(0, released.ToString());
        header.Should().MatchRegex("^NAME +STATUS +WEIGHT +LASTTRANSITIONTIME$", "the printer columns of deploy/crds");
        progressing.Should().StartWith("podinfo");
        succeeded.ExitCode.Should().Be(0, $"{succeeded}\n{sandbox.Output}\n{sandbox.Error}");
        primaryImage.StdOut.Should().Be("ghcr.io/stefanprodan/podinfo:2.0.0");
        described.StdOut.Should().Contain("Advance podinfo.default canary weight 25").And.Contain("Promotion completed! Scaling down podinfo.default");
        exitCode.Should().Be(ExitCodes.Success);
        sandbox.Output.Lines.Should().Contain(line => line.EndsWith("Promotion completed! Scaling down podinfo.default", StringComparison.Ordinal));
        sandbox.Output.Lines.Should().Contain(line => line.StartsWith("Stopped:", StringComparison.Ordinal));
    }

    [KubectlFact]
    public async Task Sandbox_CanaryNamingAnotherProvider_IsRoutedByItsOwnRouter()
    {
        var kubeconfig = Path.Combine(_directory, "sandbox.kubeconfig");
        await using var sandbox = LiveCliRun.Start("sandbox", "--kubeconfig", kubeconfig);
        await sandbox.WaitForOutputAsync(line => line.Contains("export KUBECONFIG=", StringComparison.Ordinal), "the sandbox to start");
        using var kubectl = KubectlRunner.Create(await File.ReadAllTextAsync(kubeconfig));
        var traefik = FastSample.Replace("  # No provider:", "  provider: traefik\n  # No provider:", StringComparison.Ordinal);
        var manifest = kubectl.WriteFile("podinfo.yaml", traefik);

        await kubectl.RunAsync("apply", "-f", manifest);
        var initialized = await kubectl.RunAsync("wait", "canary/podinfo", "--for=jsonpath={.status.phase}=Initialized", "--timeout=60s");
        await kubectl.RunAsync("set", "image", "deployment/podinfo", NewImage);
        var succeeded = await kubectl.RunAsync("wait", "canary/podinfo", "--for=jsonpath={.status.phase}=Succeeded", "--timeout=90s");
        var service = await kubectl.RunAsync("get", "traefikservices.traefik.io", "podinfo", "-o", "jsonpath={.spec.weighted.services[*].name}");

        initialized.ExitCode.Should().Be(0, $"{initialized}\n{sandbox.Output}\n{sandbox.Error}");
        succeeded.ExitCode.Should().Be(0, $"{succeeded}\n{sandbox.Output}\n{sandbox.Error}");
        service.StdOut.Should().Contain("podinfo-primary", "the traefik router wrote its TraefikService although the sandbox's default is nginx");
    }

    [Fact]
    public async Task Sandbox_PortTaken_FailsNamingTheOption()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port.ToString(CultureInfo.InvariantCulture);

        var run = await CliRun.RunAsync("sandbox", "--port", port, "--kubeconfig", Path.Combine(_directory, "kubeconfig"));

        run.ExitCode.Should().Be(ExitCodes.InvalidInput);
        run.ErrorLines.Should().ContainSingle().Which.Should().StartWith($"--port {port}: cannot listen there");
    }

    [Fact]
    public async Task Sandbox_UnknownProviderAndMissingDirectory_FailsNamingEachOption()
    {
        var kubeconfig = Path.Combine(_directory, "missing", "kubeconfig");

        var run = await CliRun.RunAsync("sandbox", "--provider", "istio", "--kubeconfig", kubeconfig);

        run.ExitCode.Should().Be(ExitCodes.InvalidInput);
        run.ErrorLines.Should().HaveCount(2);
        run.ErrorLines[0].Should().StartWith("--provider istio: not a provider the sandbox serves");
        run.ErrorLines[1].Should().Be($"--kubeconfig {kubeconfig}: the directory {Path.GetDirectoryName(kubeconfig)} does not exist");
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
