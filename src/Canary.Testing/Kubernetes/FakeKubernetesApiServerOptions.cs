namespace Canary.Testing.Kubernetes;

/// <summary>Settings of a <see cref="FakeKubernetesApiServer"/>.</summary>
public sealed record FakeKubernetesApiServerOptions
{
    /// <summary>The clock for creationTimestamp, managedFields, watch timeouts, bookmarks and the deployment simulator.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>How many events the server keeps for watches and continued lists; older resourceVersions get 410 Expired.</summary>
    public int WatchHistoryLimit { get; init; } = 1000;

    /// <summary>How often a watch that allows bookmarks gets a BOOKMARK event.</summary>
    public TimeSpan BookmarkInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>How long a watch lasts when the client sends no timeoutSeconds.</summary>
    public TimeSpan DefaultWatchTimeout { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>Whether the deployment-controller simulator moves Deployment status after spec changes.</summary>
    public bool SimulateDeployments { get; init; } = true;

    /// <summary>The port to listen on, on 127.0.0.1; 0 (the default) picks a free one.</summary>
    public int Port { get; init; }

    /// <summary>The version /version reports.</summary>
    public string KubernetesVersion { get; init; } = "v1.31.0";
}
