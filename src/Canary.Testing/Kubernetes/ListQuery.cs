namespace Canary.Testing.Kubernetes;

/// <summary>The options of a LIST request.</summary>
internal sealed record ListQuery(LabelSelector Labels, FieldSelector Fields, int Limit, string? Continue, string? ResourceVersion, string? ResourceVersionMatch);
