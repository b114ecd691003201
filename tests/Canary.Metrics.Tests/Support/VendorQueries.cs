using Canary.Analysis;
using Canary.Metrics.Secrets;
using Canary.Model;

namespace Canary.Metrics.Tests.Support;

/// <summary>Builds template queries for the vendor providers, and the secrets they name.</summary>
internal static class VendorQueries
{
    public const string SecretName = "vendor-credentials";

    public static MetricQuery Template(
        string providerType,
        string query,
        Uri? address = null,
        string? secretRef = null,
        string? region = null,
        TimeSpan? interval = null,
        IReadOnlyDictionary<string, string>? headers = null,
        bool insecureSkipVerify = false,
        string templateName = "error-rate") =>
        TestQueries.Template(
            query,
            provider: new MetricProviderSpec
            {
                Type = providerType,
                Address = address,
                SecretRef = secretRef,
                Region = region,
                Headers = headers ?? new Dictionary<string, string>(),
                InsecureSkipVerify = insecureSkipVerify,
            },
            templateName: templateName,
            interval: interval);

    /// <summary>A resolver holding one secret in the templates' namespace, "test".</summary>
    public static InMemoryMetricSecretResolver Secrets(params (string Key, string Value)[] values)
    {
        var resolver = new InMemoryMetricSecretResolver();
        resolver.Set("test", SecretName, values.ToDictionary(v => v.Key, v => v.Value));
        return resolver;
    }

    /// <summary>The time of <see cref="ManualTimeProvider"/> before it is advanced, in Unix seconds.</summary>
    public static long StartSeconds => new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();
}
