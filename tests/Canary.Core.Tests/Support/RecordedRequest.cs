using System.Text.Json;

namespace Canary.Core.Tests.Support;

/// <summary>One request that <see cref="LoopbackServer"/> received.</summary>
internal sealed record RecordedRequest(string Method, string Path, string? ContentType, string Body)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement.Clone();
}
