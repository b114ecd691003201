namespace Canary.Kubernetes.Configuration;

/// <summary>The <c>users[].user.exec</c> block of a kubeconfig, after validation.</summary>
/// <param name="ApiVersion"><c>client.authentication.k8s.io/v1</c> or <c>client.authentication.k8s.io/v1beta1</c>.</param>
/// <param name="Command">The program to run; a relative path with a separator was resolved against the kubeconfig's directory.</param>
/// <param name="Arguments">The arguments, passed one by one, never joined into a string.</param>
/// <param name="Environment">Extra environment variables, in order.</param>
/// <param name="InstallHint">Text shown when the command is missing.</param>
/// <param name="InteractiveMode"><c>Never</c>, <c>IfAvailable</c> or <c>Always</c>.</param>
/// <param name="ProvideClusterInfo">Whether <c>KUBERNETES_EXEC_INFO</c> carries the cluster's details.</param>
/// <param name="Field">The block's path in the kubeconfig, for messages.</param>
internal sealed record ExecPluginConfig(
    string ApiVersion,
    string Command,
    IReadOnlyList<string> Arguments,
    IReadOnlyList<KeyValuePair<string, string>> Environment,
    string? InstallHint,
    string InteractiveMode,
    bool ProvideClusterInfo,
    string Field)
{
    public const string V1 = "client.authentication.k8s.io/v1";
    public const string V1Beta1 = "client.authentication.k8s.io/v1beta1";
}
