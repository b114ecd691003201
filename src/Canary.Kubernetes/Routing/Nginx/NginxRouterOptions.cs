namespace Canary.Kubernetes.Routing.Nginx;

/// <summary>Settings of the <see cref="NginxRouter"/>.</summary>
public sealed class NginxRouterOptions
{
    /// <summary>The annotation prefix ingress-nginx reads by default.</summary>
    public const string DefaultAnnotationPrefix = "nginx.ingress.kubernetes.io";

    /// <summary>Gets or sets the annotation prefix, as the controller's <c>--annotations-prefix</c> flag sets it.</summary>
    /// <value>The default value is <c>nginx.ingress.kubernetes.io</c>.</value>
    public string AnnotationPrefix { get; set; } = DefaultAnnotationPrefix;
}
