namespace Canary.Testing.Kubernetes;

/// <summary>One resource type the fake server serves, with the strategy flags that change its semantics.</summary>
internal sealed record ApiResource
{
    public required string Group { get; init; }

    public required string Version { get; init; }

    public required string Plural { get; init; }

    public required string Kind { get; init; }

    public required bool Namespaced { get; init; }

    /// <summary>The type has a <c>/status</c> subresource: main-resource writes keep the old status.</summary>
    public bool HasStatus { get; init; }

    /// <summary>The type has a <c>/scale</c> subresource backed by <c>spec.replicas</c>.</summary>
    public bool HasScale { get; init; }

    /// <summary>An unstructured custom resource: list items keep kind/apiVersion, no strategic merge patch.</summary>
    public bool IsCustom { get; init; }

    /// <summary>metadata.generation is maintained.</summary>
    public bool TracksGeneration { get; init; }

    /// <summary>A change of metadata.annotations also bumps the generation (Deployments).</summary>
    public bool AnnotationsBumpGeneration { get; init; }

    /// <summary>PUT without metadata.resourceVersion is rejected with 422 (Leases, custom resources).</summary>
    public bool RequiresResourceVersionOnUpdate { get; init; }

    /// <summary>PUT on a missing object creates it (Leases, Events).</summary>
    public bool AllowCreateOnUpdate { get; init; }

    /// <summary>DELETE answers with the deleted object instead of a Success Status.</summary>
    public bool ReturnDeletedObject { get; init; }

    /// <summary>Names are RFC 1123 labels (no dots) instead of subdomains.</summary>
    public bool NameIsDnsLabel { get; init; }

    public IReadOnlyList<string> ShortNames { get; init; } = [];

    /// <summary>The columns of the type's table beside Name (a CRD's <c>additionalPrinterColumns</c>); empty gives an Age column.</summary>
    public IReadOnlyList<PrinterColumn> PrinterColumns { get; init; } = [];

    /// <summary>Extra field selector keys besides metadata.name and metadata.namespace.</summary>
    public IReadOnlyList<string> SelectableFields { get; init; } = [];

    public string ApiVersion => Group.Length == 0 ? Version : Group + "/" + Version;

    /// <summary>The storage identity: versions of one group and resource share their objects.</summary>
    public string StorageKey => Group + "/" + Plural;

    /// <summary>"deployments.apps" or "services": the form used in error messages.</summary>
    public string QualifiedPlural => Group.Length == 0 ? Plural : Plural + "." + Group;

    /// <summary>"Deployment.apps" or "Service": the form used in Invalid messages.</summary>
    public string QualifiedKind => Group.Length == 0 ? Kind : Kind + "." + Group;

    public string Singular => Kind.ToLowerInvariant();
}
