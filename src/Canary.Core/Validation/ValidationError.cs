namespace Canary.Validation;

/// <summary>One problem with a spec: where it is and what is wrong.</summary>
/// <param name="Path">The field's path, for example <c>spec.analysis.stepWeight</c>.</param>
/// <param name="Message">What is wrong, in plain words, for example <c>must be between 1 and 100</c>.</param>
public sealed record ValidationError(string Path, string Message)
{
    /// <summary>Gets the 1-based line of the source text the error points at, or <see langword="null"/> when the spec did not come from text.</summary>
    public int? Line { get; init; }

    /// <summary>Returns <c>path: message</c>.</summary>
    /// <returns>The error as one line.</returns>
    public override string ToString() => $"{Path}: {Message}";
}
