namespace Canary.Cli.Tests.Reports;

/// <summary>
/// A fact that needs chromium on PATH: skipped when it is missing, unless CANARY_REQUIRE_CHROMIUM=1, in which case the
/// test runs and fails saying chromium is required.
/// </summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute()
    {
        if (HeadlessChromium.Executable is null && !HeadlessChromium.Required)
        {
            Skip = HeadlessChromium.MissingMessage;
        }
    }
}
