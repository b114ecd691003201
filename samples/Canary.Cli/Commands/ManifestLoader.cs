using Canary.Specs;

namespace Canary.Cli.Commands;

/// <summary>Reads a manifest file for a verb, printing every problem as one <c>path: reason</c> line.</summary>
internal static class ManifestLoader
{
    public static async Task<CanaryManifest?> LoadAsync(FileInfo file, TextWriter error, CancellationToken cancellationToken)
    {
        if (!file.Exists)
        {
            await error.WriteLineAsync($"{file.FullName}: file not found");
            return null;
        }

        var result = await CanaryManifestReader.ReadFileAsync(file.FullName, cancellationToken);
        foreach (var problem in result.Errors)
        {
            await error.WriteLineAsync(problem.Line is { } line ? $"{problem} (line {line})" : problem.ToString());
        }

        if (result is { IsValid: true, Manifest.Canaries.Count: 0 })
        {
            await error.WriteLineAsync($"{file.Name}: no Canary document in the file");
            return null;
        }

        return result.IsValid ? result.Manifest : null;
    }
}
