using Canary.Kubernetes.Client;
using Canary.Kubernetes.Configuration;

namespace Canary.Kubernetes.Tests.TestSupport;

/// <summary>Builds clients for tests: no retry delays, no jitter.</summary>
internal static class TestClients
{
    public static readonly Uri Host = new("https://kube.test:6443");

    public static KubernetesClientOptions FastOptions(int retries = 3, TimeProvider? time = null, ListLoggerFactory? logs = null) => new()
    {
        MaxRetryAttempts = retries,
        RetryBaseDelay = TimeSpan.Zero,
        UseJitter = false,
        TimeProvider = time,
        LoggerFactory = logs,
    };

    public static KubernetesApiClient Create(
        FakeKubeApiHandler handler,
        KubernetesClientConfiguration? configuration = null,
        KubernetesClientOptions? options = null) =>
        new(configuration ?? new KubernetesClientConfiguration { Host = Host, AccessToken = "test-token-123" }, options ?? FastOptions(), handler);
}
