namespace Canary.Cli.Demo;

/// <summary>Where one request goes: a backend Service, or an answer the proxy gives itself.</summary>
/// <param name="Service">The backend Service, or <see langword="null"/> when no route matched.</param>
/// <param name="Port">The backend Service's port.</param>
/// <param name="Path">The matched route path, for the metrics' <c>path</c> label.</param>
/// <param name="Status">0 to forward to the Service; otherwise the status the proxy answers (on the Service's behalf when it is set).</param>
/// <param name="Reason">Why the proxy answers itself, for the response body.</param>
/// <param name="Ingress">The Ingress that routed the request, or <see langword="null"/> for the proxy's default label.</param>
internal readonly record struct RouteDecision(string? Service, int Port, string Path, int Status = 0, string? Reason = null, string? Ingress = null)
{
    public static RouteDecision Forward(string service, int port, string path = "/", string? ingress = null) => new(service, port, path, 0, null, ingress);

    public static RouteDecision NoRoute(string reason) => new(null, 0, "/", 404, reason);
}
