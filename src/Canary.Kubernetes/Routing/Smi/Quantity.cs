using System.Globalization;
using System.Text.RegularExpressions;

namespace Canary.Kubernetes.Routing.Smi;

/// <summary>Parses Kubernetes resource quantities (<c>500m</c>, <c>1</c>, <c>2k</c>, <c>1Ki</c>, <c>1e3</c>), the weights of SMI v1alpha1.</summary>
internal static partial class Quantity
{
    public static bool TryParse(string text, out double value)
    {
        value = 0;
        var match = Pattern().Match(text.Trim());
        if (!match.Success ||
            !double.TryParse(match.Groups["number"].Value, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
        {
            return false;
        }

        var suffix = match.Groups["suffix"].Value;
        double scale = suffix switch
        {
            "" => 1,
            "n" => 1e-9,
            "u" => 1e-6,
            "m" => 1e-3,
            "k" => 1e3,
            "M" => 1e6,
            "G" => 1e9,
            "T" => 1e12,
            "P" => 1e15,
            "E" => 1e18,
            "Ki" => 1024d,
            "Mi" => Math.Pow(1024, 2),
            "Gi" => Math.Pow(1024, 3),
            "Ti" => Math.Pow(1024, 4),
            "Pi" => Math.Pow(1024, 5),
            "Ei" => Math.Pow(1024, 6),
            _ => Math.Pow(10, int.Parse(suffix[1..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture)),
        };
        value = number * scale;
        return true;
    }

    [GeneratedRegex(@"^(?<number>[+-]?(\d+\.?\d*|\.\d+))(?<suffix>[eE][+-]?\d+|Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE])?$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
