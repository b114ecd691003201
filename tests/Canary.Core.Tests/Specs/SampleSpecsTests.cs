using Canary.Model;
using Canary.Specs;

namespace Canary.Core.Tests.Specs;

public sealed class SampleSpecsTests
{
    public static TheoryData<string> SampleFiles => [.. SampleFileNames()];

    [Fact]
    public void SampleFiles_AreFound()
    {
        SampleFileNames().Should().Contain(["nginx-canary.yaml", "traefik-canary.yaml", "ab-testing.yaml", "blue-green.yaml"]);
    }

    [Theory]
    [MemberData(nameof(SampleFiles))]
    public async Task ReadFileAsync_SampleSpec_HasNoErrors(string fileName)
    {
        var result = await CanaryManifestReader.ReadFileAsync(Path.Combine(SamplesDirectory(), fileName), CancellationToken.None);

        result.Errors.Should().BeEmpty();
        result.IsValid.Should().BeTrue();
        result.Manifest!.Canaries.Should().NotBeEmpty();
    }

    [Theory]
    [InlineData("nginx-canary.yaml", DeploymentStrategy.Canary)]
    [InlineData("traefik-canary.yaml", DeploymentStrategy.Canary)]
    [InlineData("ab-testing.yaml", DeploymentStrategy.ABTesting)]
    [InlineData("blue-green.yaml", DeploymentStrategy.BlueGreen)]
    public async Task ReadFileAsync_SampleSpec_SelectsItsStrategy(string fileName, DeploymentStrategy strategy)
    {
        var result = await CanaryManifestReader.ReadFileAsync(Path.Combine(SamplesDirectory(), fileName), CancellationToken.None);

        result.Manifest!.Canaries.Should().ContainSingle().Which.Spec.Analysis.Strategy.Should().Be(strategy);
    }

    private static string[] SampleFileNames() => [.. Directory.GetFiles(SamplesDirectory()).Select(path => Path.GetFileName(path))];

    private static string SamplesDirectory()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var samples = Path.Combine(directory.FullName, "samples", "specs");
            if (Directory.Exists(samples))
            {
                return samples;
            }
        }

        throw new DirectoryNotFoundException("samples/specs was not found above " + AppContext.BaseDirectory);
    }
}
