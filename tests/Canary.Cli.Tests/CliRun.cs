using System.Text.Json;

namespace Canary.Cli.Tests;

/// <summary>One in-process run of the <c>canary</c> command, with what it printed.</summary>
internal sealed record CliRun(int ExitCode, string Output, string Error)
{
    public static async Task<CliRun> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await CanaryCli.RunAsync(args, output, error);
        return new CliRun(exitCode, output.ToString(), error.ToString());
    }

    public static string Spec(string name) => Path.Combine(AppContext.BaseDirectory, "specs", name);

    public static string WriteTemp(string yaml)
    {
        var path = Path.Combine(Path.GetTempPath(), $"canary-cli-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }

    public IReadOnlyList<string> ErrorLines => Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public IReadOnlyList<JsonElement> JsonEvents => Output
        .Split('\n', StringSplitOptions.RemoveEmptyEntries)
        .Select(line => JsonDocument.Parse(line).RootElement.Clone())
        .ToList();
}
