namespace Canary.Cli.Reports;

/// <summary>Writes a verb's <c>--report FILE</c>, turning a file system failure into one error line for the user.</summary>
internal static class RolloutReportFile
{
    /// <summary>Writes the report; on failure prints <c>--report FILE: reason</c> to <paramref name="error"/>.</summary>
    /// <returns><see langword="true"/> when the file was written.</returns>
    public static async Task<bool> TryWriteAsync(FileInfo file, RolloutReport report, TextWriter error, CancellationToken cancellationToken)
    {
        try
        {
            await HtmlReportWriter.WriteAsync(file.FullName, report, cancellationToken);
            return true;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"--report {file.FullName}: cannot write the report: {exception.Message}");
            return false;
        }
    }
}
