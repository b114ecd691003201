using System.CommandLine;
using Canary.Cli.Commands;

namespace Canary.Cli;

/// <summary>The <c>canary</c> command: its verbs, and one entry point that tests call in-process.</summary>
public static class CanaryCli
{
    /// <summary>How long a verb may take to stop after Ctrl+C (SIGINT) or SIGTERM before the process exits anyway.</summary>
    public static readonly TimeSpan ProcessTerminationTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Parses <paramref name="args"/> and runs the verb they name.</summary>
    /// <param name="args">The command line.</param>
    /// <param name="output">Where results go.</param>
    /// <param name="error">Where errors go.</param>
    /// <param name="cancellationToken">A token that stops a running verb.</param>
    /// <returns>The exit code (see <see cref="ExitCodes"/>).</returns>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        var root = new RootCommand("Canary: automated canary releases on Kubernetes, from .NET.")
        {
            ValidateCommand.Create(output, error),
            SimulateCommand.Create(output, error),
            DemoCommand.Create(output, error),
            RunCommand.Create(output, error),
            SandboxCommand.Create(output, error),
        };

        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var parseError in parse.Errors)
            {
                await error.WriteLineAsync(parseError.Message);
            }

            await error.WriteLineAsync("Run 'canary --help' for usage.");
            return ExitCodes.InvalidInput;
        }

        // Ctrl+C cancels the verb's token; run and sandbox then let running steps finish and release their Lease, which takes longer
        // than System.CommandLine's default two seconds before it gives up on the verb.
        var invocation = new InvocationConfiguration { Output = output, Error = error, ProcessTerminationTimeout = ProcessTerminationTimeout };
        return await parse.InvokeAsync(invocation, cancellationToken);
    }
}
