namespace Canary.Gates;

/// <summary>Options of the <see cref="CommandTestRunner"/>.</summary>
public sealed class CommandTestRunnerOptions
{
    /// <summary>Gets or sets the shell that runs a <c>cmd</c> test, as <c>shell -c "command"</c>.</summary>
    /// <value>The default value is <c>/bin/sh</c>.</value>
    public string Shell { get; set; } = "/bin/sh";

    /// <summary>Gets or sets the shell that runs a <c>bash</c> test.</summary>
    /// <value>The default value is <c>bash</c>, found on the PATH.</value>
    public string Bash { get; set; } = "bash";

    /// <summary>Gets or sets the directory tests run in, or <see langword="null"/> for the host's current directory.</summary>
    public string? WorkingDirectory { get; set; }

    /// <summary>Gets or sets how many of the last lines of a failed test's error output its failure message quotes.</summary>
    /// <value>The default value is 10.</value>
    public int OutputTailLines { get; set; } = 10;

    /// <summary>Gets or sets the longest line quoted; longer ones are cut.</summary>
    /// <value>The default value is 300 characters.</value>
    public int MaxLineLength { get; set; } = 300;
}
