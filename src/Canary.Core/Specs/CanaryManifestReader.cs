using Canary.Model;
using Canary.Validation;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Canary.Specs;

/// <summary>
/// Reads Flagger <c>Canary</c> and <c>MetricTemplate</c> documents (<c>flagger.app/v1beta1</c> or <c>canary.dev/v1</c>) from YAML or JSON,
/// and validates them, returning every error at once rather than throwing.
/// </summary>
/// <remarks>
/// A file may hold several YAML documents or a JSON <c>List</c>. Documents of other kinds (Deployments, Services, …) are skipped,
/// since users keep them together with their canaries, and fields the model does not know are ignored, so Flagger specs read unchanged.
/// </remarks>
public static class CanaryManifestReader
{
    /// <summary>Deep enough for any Kubernetes object, shallow enough that building the node tree cannot exhaust the stack.</summary>
    private const int MaxNesting = 100;

    private const string DefaultNamespace = "default";

    /// <summary>Reads and validates a spec file's text.</summary>
    /// <param name="text">YAML (one or more documents) or JSON.</param>
    /// <returns>The manifest and every read and validation error.</returns>
    public static ManifestReadResult Read(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var diagnostics = new SpecDiagnostics();
        if (Load(text, diagnostics) is not { } stream)
        {
            return new ManifestReadResult(null, diagnostics.Errors);
        }

        var documents = new List<ResourceDocument>();
        for (var i = 0; i < stream.Documents.Count; i++)
        {
            Collect(stream.Documents[i].RootNode, $"(document {i + 1}) ", diagnostics, documents);
        }

        var manifest = Map(documents, diagnostics);
        diagnostics.AddValidationErrors(CanarySpecValidator.Validate(manifest));
        return new ManifestReadResult(manifest, diagnostics.Errors);
    }

    /// <summary>Reads and validates a spec file.</summary>
    /// <param name="path">The file's path.</param>
    /// <param name="cancellationToken">A token that cancels the read.</param>
    /// <returns>The manifest and every error; a file that cannot be read is one error on its path.</returns>
    public static async ValueTask<ManifestReadResult> ReadFileAsync(string path, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string text;
        try
        {
            text = await File.ReadAllTextAsync(path, cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            var message = e is FileNotFoundException or DirectoryNotFoundException ? "file not found" : $"cannot be read: {e.Message}";
            return new ManifestReadResult(null, [new ValidationError(path, message)]);
        }

        return Read(text);
    }

    private static YamlStream? Load(string text, SpecDiagnostics diagnostics)
    {
        var stream = new YamlStream();
        var parser = new DepthLimitedParser(new Parser(new StringReader(text)), MaxNesting);
        try
        {
            stream.Load(parser);
            return stream;
        }
        catch (YamlException e)
        {
            ReportSyntaxError(diagnostics, stream, (int)e.Start.Line, Describe(e.Message));
            return null;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            // A few malformed inputs trip YamlDotNet's own state checks instead of a YamlException; the parser knows where it stopped.
            ReportSyntaxError(diagnostics, stream, (int)(parser.Current?.Start.Line ?? 1), "is not valid YAML");
            return null;
        }
    }

    private static void ReportSyntaxError(SpecDiagnostics diagnostics, YamlStream stream, int line, string message) =>
        // The stream keeps the documents that loaded, so the failing one is the next.
        diagnostics.Report($"(document {stream.Documents.Count + 1}) line {line}", message, line);

    private static string Describe(string message)
    {
        message = message.TrimEnd('.');
        return message.Length == 0 ? "is not valid YAML" : char.ToLowerInvariant(message[0]) + message[1..];
    }

    /// <summary>Adds the canaries and metric templates of one document (or of the items of a <c>List</c>) to <paramref name="documents"/>.</summary>
    private static void Collect(YamlNode root, string label, SpecDiagnostics diagnostics, List<ResourceDocument> documents)
    {
        if (root is YamlScalarNode { Value: null or "" })
        {
            return;
        }

        if (root is not YamlMappingNode)
        {
            diagnostics.Report(label.TrimEnd(), "is not a Kubernetes object (a mapping with apiVersion and kind)", (int)root.Start.Line);
            return;
        }

        var document = SpecNode.From(root, label, diagnostics)!;
        var apiVersion = document.GetRequiredString("apiVersion");
        var kind = document.GetRequiredString("kind");
        if (apiVersion is null || kind is null)
        {
            return;
        }

        if (kind == SpecNames.ListKind)
        {
            foreach (var item in document.GetMappingList("items"))
            {
                Collect(item.Root, item.Path, diagnostics, documents);
            }

            return;
        }

        if (kind is not (SpecNames.CanaryKind or SpecNames.MetricTemplateKind) || !IsSupported(document, apiVersion))
        {
            return;
        }

        var metadata = document.GetMapping("metadata");
        if (metadata is null)
        {
            if (!document.Has("metadata"))
            {
                document.Report("metadata.name", "is required");
            }

            return;
        }

        if (metadata.GetRequiredString("name") is not { } name)
        {
            return;
        }

        var resourceNamespace = metadata.GetString("namespace");
        documents.Add(new ResourceDocument(kind, document.Root, name, string.IsNullOrEmpty(resourceNamespace) ? DefaultNamespace : resourceNamespace));
    }

    /// <summary>Tells our groups' unsupported versions, which are reported, from other groups' kinds of the same name, which are skipped.</summary>
    private static bool IsSupported(SpecNode document, string apiVersion)
    {
        if (SpecNames.ApiVersions.Contains(apiVersion, StringComparer.Ordinal))
        {
            return true;
        }

        var group = apiVersion.Split('/')[0];
        if (SpecNames.Groups.Contains(group, StringComparer.Ordinal))
        {
            document.Report("apiVersion", $"\"{apiVersion}\" is not supported (use {string.Join(" or ", SpecNames.ApiVersions)})");
        }

        return false;
    }

    private static CanaryManifest Map(List<ResourceDocument> documents, SpecDiagnostics diagnostics)
    {
        // Paths carry the resource's name only where the file is ambiguous without it, as the validator's paths do.
        var prefixCanaries = documents.Count(d => d.Kind == SpecNames.CanaryKind) > 1;
        var prefixTemplates = documents.Count > 1;
        var canaries = new List<CanaryResource>();
        var templates = new List<MetricTemplate>();
        foreach (var document in documents)
        {
            if (document.Kind == SpecNames.CanaryKind)
            {
                var node = SpecNode.From(document.Root, prefixCanaries ? document.Name + ": " : string.Empty, diagnostics)!;
                canaries.Add(CanaryDocumentMapper.Map(node, new CanaryId(document.Name, document.Namespace)));
            }
            else
            {
                var node = SpecNode.From(document.Root, prefixTemplates ? document.Name + ": " : string.Empty, diagnostics)!;
                templates.Add(MetricTemplateDocumentMapper.Map(node, document.Name, document.Namespace));
            }
        }

        return new CanaryManifest(canaries, templates);
    }

    private sealed record ResourceDocument(string Kind, YamlMappingNode Root, string Name, string Namespace);
}
