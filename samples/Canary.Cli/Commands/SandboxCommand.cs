using System.CommandLine;
using System.Globalization;
using Canary.Cli.Sandbox;
using Canary.Model;

namespace Canary.Cli.Commands;

/// <summary>
/// <c>canary sandbox</c>: a local cluster that kubectl drives, kept running until Ctrl+C: a fake API server with Canary's CRDs,
/// pods that serve for every Deployment, users and a proxy per canary, and the controller running every Canary applied. It
/// writes a kubeconfig and prints how to use it. Exit 0 when stopped, 2 on invalid input (an option, a port that is taken).
/// </summary>
internal static class SandboxCommand
{
    private const string SamplePath = "samples/specs/sandbox/podinfo.yaml";

    public static Command Create(TextWriter output, TextWriter error)
    {
        var kubeconfig = new Option<string>("--kubeconfig") { Description = "Where to write the kubeconfig that points kubectl at the sandbox.", DefaultValueFactory = _ => "canary-sandbox.kubeconfig" };
        var provider = new Option<string>("--provider")
        {
            Description = $"The traffic provider of canaries whose spec names none (every provider's routing types are served): {string.Join(", ", TrafficProviders.All)}.",
            DefaultValueFactory = _ => TrafficProviders.Nginx,
        };
        var port = new Option<int>("--port") { Description = "The API server's port on 127.0.0.1 (default: a free one)." };
        var rps = new Option<double>("--requests-per-second") { Description = "The users' requests per second to each canary's app.", DefaultValueFactory = _ => 20 };
        var command = new Command("sandbox", "Run a local cluster with Canary's controller until Ctrl+C, for kubectl to apply and release apps into.")
        {
            kubeconfig, provider, port, rps,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var options = new SandboxOptions
            {
                KubeconfigPath = parse.GetRequiredValue(kubeconfig),
                Provider = parse.GetRequiredValue(provider),
                Port = parse.GetValue(port),
                RequestsPerSecond = parse.GetValue(rps),
            };
            var problems = options.Validate();
            if (problems.Count > 0)
            {
                foreach (var problem in problems)
                {
                    await error.WriteLineAsync(problem.ToString());
                }

                return ExitCodes.InvalidInput;
            }

            return await RunAsync(options, TextWriter.Synchronized(output), TextWriter.Synchronized(error), cancellationToken);
        });
        return command;
    }

    private static async Task<int> RunAsync(SandboxOptions options, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        // A dozen servers, their clients and the engine share the thread pool; on a small machine its slow growth would show up as
        // latency that the analysis judges.
        ThreadPool.GetMinThreads(out var workers, out var io);
        ThreadPool.SetMinThreads(Math.Max(workers, 32), Math.Max(io, 32));
        SandboxEnvironment sandbox;
        try
        {
            sandbox = await SandboxEnvironment.StartAsync(options, output, error, cancellationToken);
        }
        catch (IOException exception)
        {
            await error.WriteLineAsync(options.Port != 0
                ? $"--port {options.Port.ToString(CultureInfo.InvariantCulture)}: cannot listen there: {exception.Message}"
                : $"--kubeconfig {options.KubeconfigPath}: {exception.Message}");
            return ExitCodes.InvalidInput;
        }
        catch (UnauthorizedAccessException exception)
        {
            await error.WriteLineAsync($"--kubeconfig {options.KubeconfigPath}: cannot write it: {exception.Message}");
            return ExitCodes.InvalidInput;
        }

        await using (sandbox)
        {
            PrintWelcome(sandbox, options, output);
            await sandbox.RunAsync(cancellationToken);
            output.WriteLine("Stopped: the controller released its Lease; the pods, the proxies and the API server stop now.");
        }

        return ExitCodes.Success;
    }

    private static void PrintWelcome(SandboxEnvironment sandbox, SandboxOptions options, TextWriter output)
    {
        output.WriteLine("Canary sandbox: a Kubernetes API on this machine with Canary's CRDs, pods that serve, users, and the controller.");
        output.WriteLine($"  API server        {sandbox.ApiServer.BaseAddress}");
        output.WriteLine($"  default provider  {options.Provider} (for canaries that name none; every provider's routing types are served)");
        output.WriteLine("  app versions      the image tag is the version: 3.0.0 fails one request in five and is slower; others are healthy");
        output.WriteLine();
        output.WriteLine("In another shell:");
        output.WriteLine($"  export KUBECONFIG={sandbox.KubeconfigPath}");
        if (File.Exists(SamplePath))
        {
            output.WriteLine($"  kubectl apply -f {SamplePath}");
        }
        else
        {
            output.WriteLine("  kubectl apply -f - <<'EOF'");
            output.Write(SandboxEnvironment.Sample);
            output.WriteLine("EOF");
        }

        output.WriteLine("  kubectl get canaries -w");
        output.WriteLine("  kubectl set image deployment/podinfo podinfod=ghcr.io/stefanprodan/podinfo:2.0.0   # promoted");
        output.WriteLine("  kubectl set image deployment/podinfo podinfod=ghcr.io/stefanprodan/podinfo:3.0.0   # rolled back");
        output.WriteLine();
        output.WriteLine("Ctrl+C stops the sandbox.");
    }
}
