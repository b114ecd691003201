namespace Canary.Cli.Tests.Demo;

/// <summary>
/// One <c>canary demo --fast --interval-seconds 1 --report DIR/demo.html</c> run, shared by the report's tests, in a temporary
/// folder that is deleted afterwards.
/// </summary>
public sealed class DemoReportFixture : IAsyncLifetime
{
    private readonly DirectoryInfo _directory = System.IO.Directory.CreateTempSubdirectory("canary-demo-report-");

    public string IndexPath => Path.Combine(_directory.FullName, "demo.html");

    internal CliRun Run { get; private set; } = new(-1, string.Empty, string.Empty);

    /// <summary>Returns the text of the page <paramref name="name"/> in the report's folder, or an empty string when it is missing.</summary>
    public string Page(string name)
    {
        var path = Path.Combine(_directory.FullName, name);
        return File.Exists(path) ? File.ReadAllText(path) : string.Empty;
    }

    /// <summary>Returns the lines the run printed between <c>== Releasing VERSION</c> and the rollout's outcome.</summary>
    public IReadOnlyList<string> Section(string version) => Run.Output
        .Split('\n')
        .SkipWhile(line => !line.StartsWith($"== Releasing {version} ", StringComparison.Ordinal))
        .TakeWhile(line => !line.StartsWith($"== {version}: ", StringComparison.Ordinal))
        .ToList();

    public async Task InitializeAsync()
    {
        Run = await CliRun.RunAsync("demo", "--fast", "--interval-seconds", "1", "--report", IndexPath).WaitAsync(TimeSpan.FromMinutes(2));
    }

    public Task DisposeAsync()
    {
        _directory.Delete(recursive: true);
        return Task.CompletedTask;
    }
}
