namespace Canary.Cli.Demo;

/// <summary>The names a <see cref="RoutePlan"/> needs, resolved from <see cref="WeightedProxyOptions"/>.</summary>
internal sealed record RouteSettings(
    string Provider,
    string Namespace,
    string Target,
    string Service,
    string Ingress,
    string Route,
    int Port,
    string AnnotationPrefix)
{
    public string PrimaryService => $"{Service}-primary";

    public string CanaryService => $"{Service}-canary";

    public string PrimaryDeployment => $"{Target}-primary";
}
