namespace Canary.Metrics.Tests.Support;

/// <summary>One request that <see cref="FakeVendorServer"/> received.</summary>
internal sealed record VendorRequest(
    string Method,
    string Path,
    string RawQuery,
    IReadOnlyDictionary<string, string> Query,
    IReadOnlyDictionary<string, string> Headers,
    string Body)
{
    public string Header(string name) => Headers.TryGetValue(name, out var value) ? value : string.Empty;
}
