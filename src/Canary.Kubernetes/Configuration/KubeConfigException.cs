namespace Canary.Kubernetes.Configuration;

/// <summary>
/// Thrown when a kubeconfig file or the in-cluster service-account setup cannot be turned into a client configuration.
/// The message names the offending field, for example <c>users[0].user.client-key-data: not valid base64</c>.
/// </summary>
/// <remarks>Messages never contain token, password or key material, only field names and file paths.</remarks>
public sealed class KubeConfigException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="KubeConfigException"/> class.</summary>
    public KubeConfigException()
        : base("The Kubernetes configuration is invalid.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="KubeConfigException"/> class.</summary>
    /// <param name="message">The message.</param>
    public KubeConfigException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="KubeConfigException"/> class.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public KubeConfigException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="KubeConfigException"/> class for one field.</summary>
    /// <param name="field">The field's path, for example <c>users[0].user.client-key-data</c>.</param>
    /// <param name="problem">What is wrong with it, for example <c>not valid base64</c>.</param>
    /// <param name="source">The file the field came from, if any.</param>
    public KubeConfigException(string field, string problem, string? source)
        : base(Format(field, problem, source))
    {
        Field = field;
        Problem = problem;
        FilePath = source;
    }

    /// <summary>Gets the path of the offending field, for example <c>contexts</c> or <c>clusters[1].cluster.server</c>.</summary>
    public string? Field { get; }

    /// <summary>Gets what is wrong with the field.</summary>
    public string? Problem { get; }

    /// <summary>Gets the kubeconfig file the field came from, when it came from a file.</summary>
    public string? FilePath { get; }

    private static string Format(string field, string problem, string? source) =>
        source is null ? $"{field}: {problem}" : $"{field}: {problem} (in {source})";
}
