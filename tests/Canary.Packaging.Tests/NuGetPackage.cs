using System.IO.Compression;
using System.Xml.Linq;

namespace Canary.Packaging.Tests;

/// <summary>The entries and the nuspec metadata of a .nupkg.</summary>
internal sealed record NuGetPackage(IReadOnlyList<string> Entries, XElement Metadata)
{
    public static NuGetPackage Read(string path)
    {
        using var zip = ZipFile.OpenRead(path);
        var entries = zip.Entries.Select(e => e.FullName).ToList();
        var nuspec = zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal) && !e.FullName.Contains('/', StringComparison.Ordinal));
        using var stream = nuspec.Open();
        var document = XDocument.Load(stream);
        var metadata = document.Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        return new NuGetPackage(entries, metadata);
    }

    /// <summary>Gets the text of a metadata element, or an empty string.</summary>
    public string Value(string name) => Element(name)?.Value.Trim() ?? string.Empty;

    public XElement? Element(string name) => Metadata.Elements().FirstOrDefault(e => e.Name.LocalName == name);

    /// <summary>Gets the ids and versions of the package's dependencies.</summary>
    public IReadOnlyDictionary<string, string> Dependencies => Metadata.Descendants()
        .Where(e => e.Name.LocalName == "dependency")
        .ToDictionary(e => (string)e.Attribute("id")!, e => (string)e.Attribute("version")!, StringComparer.Ordinal);
}
