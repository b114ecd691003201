using System.Text.Json.Nodes;

namespace Canary.Testing.Kubernetes;

/// <summary>Carries a failure <c>Status</c> object from deep inside an operation to the HTTP layer.</summary>
internal sealed class KubernetesStatusException : Exception
{
    public KubernetesStatusException(JsonObject status)
        : base(JsonTools.GetString(status, "message"))
    {
        Status = status;
    }

    public KubernetesStatusException()
        : this(ApiErrors.Internal("unknown error"))
    {
    }

    public KubernetesStatusException(string message)
        : this(ApiErrors.Internal(message))
    {
    }

    public KubernetesStatusException(string message, Exception innerException)
        : base(message, innerException)
    {
        Status = ApiErrors.Internal(message);
    }

    public JsonObject Status { get; }

    public int Code => (int)(JsonTools.GetInt64(Status["code"]) ?? 500);
}
