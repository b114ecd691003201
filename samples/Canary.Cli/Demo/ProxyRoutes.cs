namespace Canary.Cli.Demo;

/// <summary>The routes a <see cref="WeightedProxy"/> applies now.</summary>
/// <param name="Provider">The provider whose objects it obeys.</param>
/// <param name="Description">A one-line description of the routing objects as read.</param>
/// <param name="CanaryShare">
/// The canary's share of the requests that no header or cookie match selects, from 0 to 1 (for label-ratio, its share of the
/// ready pods), or <see langword="null"/> when it has no meaning (no weights at all).
/// </param>
public sealed record ProxyRoutes(string Provider, string Description, double? CanaryShare);
