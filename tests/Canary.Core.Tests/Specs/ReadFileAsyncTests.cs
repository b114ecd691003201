using Canary.Specs;
using Canary.Validation;

namespace Canary.Core.Tests.Specs;

public sealed class ReadFileAsyncTests
{
    [Fact]
    public async Task ReadFileAsync_ExistingFile_ReadsIt()
    {
        var path = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(path, CanaryManifestReaderMappingTests.CanaryText("podinfo"));

            var result = await CanaryManifestReader.ReadFileAsync(path, CancellationToken.None);

            result.Errors.Should().BeEmpty();
            result.Manifest!.Canaries.Should().ContainSingle().Which.Id.Name.Should().Be("podinfo");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task ReadFileAsync_MissingFile_ReportsItOnThePath()
    {
        var path = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"), "canary.yaml");

        var result = await CanaryManifestReader.ReadFileAsync(path, CancellationToken.None);

        result.Manifest.Should().BeNull();
        result.Errors.Should().Equal(new ValidationError(path, "file not found"));
    }
}
