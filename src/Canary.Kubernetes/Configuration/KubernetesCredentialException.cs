namespace Canary.Kubernetes.Configuration;

/// <summary>
/// Thrown when credentials cannot be obtained at request time: an exec plugin failed, timed out or printed an invalid
/// <c>ExecCredential</c>, or a token file could not be read.
/// </summary>
/// <remarks>Messages never contain the token or key material; an exec plugin's standard error is included.</remarks>
public sealed class KubernetesCredentialException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="KubernetesCredentialException"/> class.</summary>
    public KubernetesCredentialException()
        : base("Kubernetes credentials could not be obtained.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="KubernetesCredentialException"/> class.</summary>
    /// <param name="message">The message.</param>
    public KubernetesCredentialException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="KubernetesCredentialException"/> class.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public KubernetesCredentialException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
