using Canary.Validation;

namespace Canary.Specs;

/// <summary>What <see cref="CanaryManifestReader"/> found in a spec file: the manifest, and every read and validation error.</summary>
/// <param name="Manifest">
/// The manifest as far as it could be read, or <see langword="null"/> when the text is not YAML or JSON at all.
/// A field with an error keeps its default, so use the manifest only when <see cref="IsValid"/> is <see langword="true"/>.
/// </param>
/// <param name="Errors">Every problem found, each with its field path and, where known, its line.</param>
public sealed record ManifestReadResult(CanaryManifest? Manifest, IReadOnlyList<ValidationError> Errors)
{
    /// <summary>Gets a value indicating whether the file was read and has no errors.</summary>
    public bool IsValid => Manifest is not null && Errors.Count == 0;
}
