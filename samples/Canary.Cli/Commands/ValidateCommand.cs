using System.CommandLine;

namespace Canary.Cli.Commands;

/// <summary><c>canary validate FILE</c>: checks a manifest and prints every error with its field path.</summary>
internal static class ValidateCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var file = new Argument<FileInfo>("file") { Description = "A YAML or JSON file with Canary and MetricTemplate documents." };
        var command = new Command("validate", "Check a canary spec; exit 0 when valid, 2 with one 'path: reason' line per error.") { file };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var manifest = await ManifestLoader.LoadAsync(parse.GetRequiredValue(file), error, cancellationToken);
            if (manifest is null)
            {
                return ExitCodes.InvalidInput;
            }

            foreach (var canary in manifest.Canaries)
            {
                await output.WriteLineAsync($"{canary.Id}: valid ({canary.Spec.Analysis.Strategy}, provider {canary.Spec.Provider ?? "default"})");
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
