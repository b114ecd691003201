namespace Canary.Metrics.CloudWatch.Credentials;

/// <summary>Reads the INI format of the AWS shared credentials and config files.</summary>
internal static class IniFile
{
    /// <summary>Reads one section's keys.</summary>
    /// <param name="text">The file's text.</param>
    /// <param name="section">The section's name, without brackets.</param>
    /// <returns>The keys (lower-case names, trimmed values), or <see langword="null"/> when there is no such section.</returns>
    public static Dictionary<string, string>? Section(string text, string section)
    {
        Dictionary<string, string>? keys = null;
        var inSection = false;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] is '#' or ';')
            {
                continue;
            }

            if (line[0] == '[' && line[^1] == ']')
            {
                inSection = string.Equals(line[1..^1].Trim(), section, StringComparison.Ordinal);
                if (inSection)
                {
                    keys ??= new Dictionary<string, string>(StringComparer.Ordinal);
                }

                continue;
            }

            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (inSection && equals > 0)
            {
                keys![line[..equals].Trim().ToLowerInvariant()] = line[(equals + 1)..].Trim();
            }
        }

        return keys;
    }
}
