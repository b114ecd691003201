using Canary.Model;

namespace Canary.Specs;

/// <summary>Maps a <c>MetricTemplate</c> document onto <see cref="MetricTemplate"/>.</summary>
internal static class MetricTemplateDocumentMapper
{
    public static MetricTemplate Map(SpecNode document, string name, string templateNamespace)
    {
        var spec = document.GetMapping("spec");
        if (spec is null)
        {
            document.Report("spec", "is required");
            return new MetricTemplate(name, templateNamespace, new MetricProviderSpec(), string.Empty);
        }

        var provider = spec.GetMapping("provider") is { } node ? MapProvider(node) : new MetricProviderSpec();
        return new MetricTemplate(name, templateNamespace, provider, spec.GetString("query") ?? string.Empty);
    }

    private static MetricProviderSpec MapProvider(SpecNode provider)
    {
        var defaults = new MetricProviderSpec();
        return defaults with
        {
            Type = provider.GetString("type") ?? defaults.Type,
            Address = provider.GetUri("address"),
            SecretRef = provider.GetMapping("secretRef")?.GetString("name"),
            Region = provider.GetString("region"),
            InsecureSkipVerify = provider.GetBool("insecureSkipVerify") ?? false,
            Headers = provider.GetHeaderMap("headers") ?? defaults.Headers,
        };
    }
}
