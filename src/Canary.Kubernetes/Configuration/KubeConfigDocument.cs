namespace Canary.Kubernetes.Configuration;

/// <summary>A parsed kubeconfig, or several merged with client-go's rule: the first file to set a value or a name wins.</summary>
internal sealed record KubeConfigDocument(
    string? CurrentContext,
    IReadOnlyList<KubeConfigCluster> Clusters,
    IReadOnlyList<KubeConfigUser> Users,
    IReadOnlyList<KubeConfigContext> Contexts,
    IReadOnlyList<string> SourceFiles)
{
    public static KubeConfigDocument Empty { get; } = new(null, [], [], [], []);

    public bool IsEmpty => Clusters.Count == 0 && Users.Count == 0 && Contexts.Count == 0 && CurrentContext is null;

    public KubeConfigDocument MergeWith(KubeConfigDocument later) => new(
        CurrentContext ?? later.CurrentContext,
        MergeByName(Clusters, later.Clusters, c => c.Name),
        MergeByName(Users, later.Users, u => u.Name),
        MergeByName(Contexts, later.Contexts, c => c.Name),
        [.. SourceFiles, .. later.SourceFiles]);

    private static List<T> MergeByName<T>(IReadOnlyList<T> first, IReadOnlyList<T> later, Func<T, string> name)
    {
        var merged = new List<T>(first);
        var seen = new HashSet<string>(first.Select(name), StringComparer.Ordinal);
        merged.AddRange(later.Where(item => seen.Add(name(item))));
        return merged;
    }
}
