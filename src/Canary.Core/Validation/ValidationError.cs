namespace Canary.Validation;

/// <summary>One problem with a spec: where it is and what is wrong.</summary>
/// <param name="Path">The field's path, for example <c>spec.analysis.stepWeight</c>.</param>
/// <param name="Message">What is wrong, in plain words, for example <c>must be between 1 and 100</c>.</param>
public sealed record ValidationError(string Path, string Message)
{
    /// <summary>Returns <c>path: message</c>.</summary>
    /// <returns>The error as one line.</returns>
    public override string ToString() => $"{Path}: {Message}";
}
