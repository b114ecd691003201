namespace Canary.Cli.Demo;

/// <summary>What a <see cref="RoutePlan"/> may consult while routing a request: the proxy's randomness and the backends' endpoints.</summary>
/// <param name="Random">The proxy's seeded randomness.</param>
/// <param name="EndpointCount">How many ready pods a Service has.</param>
internal sealed record RouteContext(LockedRandom Random, Func<string, int> EndpointCount);
