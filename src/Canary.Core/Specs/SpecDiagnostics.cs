using Canary.Validation;

namespace Canary.Specs;

/// <summary>
/// The errors of one manifest being read, and the source line of every field the reader visited,
/// so that validation errors on the mapped records can point back at the text.
/// </summary>
internal sealed class SpecDiagnostics
{
    private readonly List<ValidationError> _errors = [];
    private readonly Dictionary<string, int> _lines = new(StringComparer.Ordinal);

    /// <summary>Gets the errors found so far, in the order they were found.</summary>
    public IReadOnlyList<ValidationError> Errors => _errors;

    /// <summary>Records an error at a field.</summary>
    public void Report(string path, string message, int line)
    {
        _errors.Add(new ValidationError(path, message) { Line = line });
        _lines.TryAdd(path, line);
    }

    /// <summary>Remembers where a field is, for errors found later.</summary>
    public void Locate(string path, int line) => _lines.TryAdd(path, line);

    /// <summary>
    /// Adds validation errors, with the line of their field (or of its nearest located parent). Errors on a field that
    /// has a read error, inside it, or on a field that holds it are left out: a value that could not be read keeps its
    /// default, and a complaint about that default (a missing port, a range with no bounds) would only mislead.
    /// </summary>
    public void AddValidationErrors(IEnumerable<ValidationError> errors)
    {
        var readErrorPaths = _errors.Select(e => e.Path).ToHashSet(StringComparer.Ordinal);
        var readErrorParents = readErrorPaths.SelectMany(Ancestors).ToHashSet(StringComparer.Ordinal);
        foreach (var error in errors)
        {
            var affected = readErrorParents.Contains(error.Path) || Ancestors(error.Path).Prepend(error.Path).Any(readErrorPaths.Contains);
            if (!affected)
            {
                _errors.Add(error with { Line = FindLine(error.Path) });
            }
        }
    }

    private int? FindLine(string path)
    {
        for (var current = path; current.Length > 0; current = SpecPath.Parent(current))
        {
            if (_lines.TryGetValue(current, out var line))
            {
                return line;
            }
        }

        return null;
    }

    private static IEnumerable<string> Ancestors(string path)
    {
        for (var current = SpecPath.Parent(path); current.Length > 0; current = SpecPath.Parent(current))
        {
            yield return current;
        }
    }
}
