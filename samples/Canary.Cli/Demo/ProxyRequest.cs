using Canary.Workloads;

namespace Canary.Cli.Demo;

/// <summary>One request the <see cref="WeightedProxy"/> answered, as its metrics record it.</summary>
/// <param name="Ingress">The Ingress (or route) the request came through, for the <c>ingress</c> label.</param>
/// <param name="Host">The request's host, without the port.</param>
/// <param name="Method">The HTTP method.</param>
/// <param name="Path">The matched route path (for example <c>/</c>), not the request's full path, so that labels stay few.</param>
/// <param name="Service">The backend Service chosen, or <see langword="null"/> when no route matched.</param>
/// <param name="ServicePort">The backend Service's port.</param>
/// <param name="Pod">The pod that answered, or <see langword="null"/> when the proxy answered itself (no route, no endpoints).</param>
/// <param name="Deployment">The Deployment of that pod, or <see langword="null"/>.</param>
/// <param name="Role">Whether the primary or the canary served the request, or <see langword="null"/> for neither.</param>
/// <param name="Status">The HTTP status code sent to the client.</param>
/// <param name="Duration">How long the proxy took to answer.</param>
public sealed record ProxyRequest(
    string Ingress,
    string Host,
    string Method,
    string Path,
    string? Service,
    int ServicePort,
    string? Pod,
    string? Deployment,
    WorkloadRole? Role,
    int Status,
    TimeSpan Duration);
