using System.CommandLine;
using Canary.Cli.Commands;

namespace Canary.Cli;

/// <summary>The <c>canary</c> command: its verbs, and one entry point that tests call in-process.</summary>
public static class CanaryCli
{
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

        return await parse.InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, cancellationToken);
    }
}
