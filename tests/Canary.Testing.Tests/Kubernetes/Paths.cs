namespace Canary.Testing.Tests.Kubernetes;

/// <summary>REST paths of the resources the tests use, in namespace "default" unless given.</summary>
internal static class Paths
{
    public static string ConfigMaps(string ns = "default") => $"/api/v1/namespaces/{ns}/configmaps";

    public static string ConfigMap(string name, string ns = "default") => $"{ConfigMaps(ns)}/{name}";

    public static string Deployments(string ns = "default") => $"/apis/apps/v1/namespaces/{ns}/deployments";

    public static string Deployment(string name, string ns = "default") => $"{Deployments(ns)}/{name}";

    public static string Leases(string ns = "default") => $"/apis/coordination.k8s.io/v1/namespaces/{ns}/leases";

    public static string Widgets(string ns = "default") => $"/apis/example.com/v1/namespaces/{ns}/widgets";

    public static string Widget(string name, string ns = "default") => $"{Widgets(ns)}/{name}";

    public static string Pods(string ns = "default") => $"/api/v1/namespaces/{ns}/pods";
}
