namespace Canary.Packaging.Tests;

/// <summary>
/// The libraries as users get them: packed with <c>dotnet pack</c>, then restored, built and run by a console app that
/// knows them only as packages. Slow (a Release build, a restore from nuget.org and a build), so it is one test.
/// </summary>
public class PackageTests
{
    private const string Version = "0.1.0";
    private static readonly string[] Libraries = ["Canary.Core", "Canary.Kubernetes", "Canary.Metrics", "Canary.Testing"];
    private static readonly TimeSpan PackTimeout = TimeSpan.FromMinutes(15);
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task Pack_FourLibraries_GiveDocumentedPackagesThatAConsumerRestoresBuildsAndRuns()
    {
        var repository = RepositoryRoot();
        var work = Directory.CreateTempSubdirectory("canary-packaging-");
        try
        {
            var feed = Path.Combine(work.FullName, "feed");
            var started = DateTime.UtcNow;

            // The solution filter and --artifacts-path keep every build output of the pack in the temp folder, not the repository.
            var solution = Path.Combine(work.FullName, "pack.slnx");
            await File.WriteAllTextAsync(solution, "<Solution>\n" + string.Concat(Libraries.Select(id =>
                $"  <Project Path=\"{Path.Combine(repository, "src", id, id + ".csproj")}\" />\n")) + "</Solution>\n");
            var pack = await Dotnet.RunAsync(work.FullName, PackTimeout, null,
                "pack", solution, "-c", "Release", "-o", feed, "--artifacts-path", Path.Combine(work.FullName, "artifacts"),
                "-nodeReuse:false", "-p:UseSharedCompilation=false", "--nologo");
            pack.ExitCode.Should().Be(0, pack.Transcript);

            foreach (var id in Libraries)
            {
                var package = NuGetPackage.Read(Path.Combine(feed, $"{id}.{Version}.nupkg"));
                package.Entries.Should().Contain(["README.md", $"lib/net10.0/{id}.dll", $"lib/net10.0/{id}.xml"], $"{id} ships its README and XML docs");
                package.Value("readme").Should().Be("README.md", id);
                package.Value("description").Should().NotBeEmpty(id);
                package.Value("authors").Should().NotBeEmpty(id);
                package.Element("license").Should().NotBeNull(id);
                package.Element("license")!.Attribute("type")!.Value.Should().Be("expression", id);
                package.Value("license").Should().Be("MIT", id);
                if (id != "Canary.Core")
                {
                    package.Dependencies.Should().Contain("Canary.Core", Version, $"{id} depends on the Core package, not on a project");
                }
            }

            var consumer = Path.Combine(work.FullName, "consumer");
            var packages = Path.Combine(work.FullName, "packages");
            ConsumerProject.Write(consumer, feed, packages);
            var environment = new Dictionary<string, string> { ["NUGET_PACKAGES"] = packages };
            var build = await Dotnet.RunAsync(consumer, BuildTimeout, environment,
                "build", "-c", "Release", "-nodeReuse:false", "-p:UseSharedCompilation=false", "--nologo");
            build.ExitCode.Should().Be(0, build.Transcript);
            var restoredFrom = await File.ReadAllTextAsync(Path.Combine(packages, "canary.core", Version, ".nupkg.metadata"));
            restoredFrom.Should().Contain(feed.Replace("\\", "\\\\", StringComparison.Ordinal), "Canary packages come from the local feed");

            var run = await Dotnet.RunAsync(consumer, RunTimeout, environment,
                Path.Combine(consumer, "bin", "Release", "net10.0", ConsumerProject.AssemblyName + ".dll"));
            run.ExitCode.Should().Be(0, run.Transcript);
            run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Should().Equal(ConsumerProject.ExpectedOutput);

            BuildOutputsWrittenSince(repository, started).Should().BeEmpty("packing writes nothing into the repository");
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Canary.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No Canary.sln above {AppContext.BaseDirectory}");
    }

    private static List<string> BuildOutputsWrittenSince(string repository, DateTime since) =>
        Libraries
            .SelectMany(id => new[] { "bin", "obj" }.Select(folder => Path.Combine(repository, "src", id, folder)))
            .Where(Directory.Exists)
            .SelectMany(folder => Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
            .Where(file => File.GetLastWriteTimeUtc(file) >= since)
            .ToList();
}
