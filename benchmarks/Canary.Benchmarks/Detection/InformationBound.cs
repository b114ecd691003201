using System.Globalization;
using System.Text;

namespace Canary.Benchmarks.Detection;

/// <summary>
/// The fewest canary requests any test with the judge's error budget could expect to need: Wald's approximation of the
/// expected sample size of the oracle SPRT, log(1/α) / KL, which knows the primary's error rate exactly and tests the
/// simple null "the canary's rate is maxErrorRatio times the primary's" against the true rate. No sequential test with
/// the same error rates has a smaller expected sample size (Wald–Wolfowitz), so a target below it is out of reach.
/// </summary>
internal static class InformationBound
{
    /// <summary>Returns the oracle's expected canary requests to tell <paramref name="truth"/> from <paramref name="nullRate"/> with error rate <paramref name="alpha"/>.</summary>
    public static double Requests(double truth, double nullRate, double alpha) => Math.Log(1 / alpha) / KullbackLeibler(truth, nullRate);

    /// <summary>Returns the canary requests served from the first weight step until <paramref name="minutes"/> later, on the benchmark's schedule.</summary>
    public static double CanaryRequestsWithin(double requestsPerSecond, double minutes)
    {
        var total = 0.0;
        for (var minute = 0; minute < Math.Ceiling(minutes); minute++)
        {
            var weight = Math.Min(0.05 * (minute + 1), 0.5);
            total += requestsPerSecond * 60 * weight * Math.Min(1, minutes - minute);
        }

        return total;
    }

    /// <summary>Writes the bounds for the benchmark's error scenarios, with the judge's default budget.</summary>
    public static void Write(StringBuilder report, double primaryRate, double maxErrorRatio, double falseRollbackRate, double falsePromotionRate)
    {
        var c = CultureInfo.InvariantCulture;
        var nullRate = primaryRate * maxErrorRatio;
        report.AppendLine(c, $"### Information bounds (oracle SPRT, primary {primaryRate:0.0%} known, null {maxErrorRatio}× = {nullRate:0.00%})");
        report.AppendLine();
        report.AppendLine("| Canary | Decision | Error budget | Oracle's expected canary requests |");
        report.AppendLine("|---|---|---:|---:|");
        foreach (var rate in new[] { 0.02, 0.05, 0.20 })
        {
            report.AppendLine(c, $"| {rate:0%} errors | rollback | α/2 = {falseRollbackRate / 2} | {Requests(rate, nullRate, falseRollbackRate / 2):0} |");
            report.AppendLine(c, $"| {rate:0%} errors | rollback, errors only | α = {falseRollbackRate} | {Requests(rate, nullRate, falseRollbackRate):0} |");
        }

        report.AppendLine(c, $"| healthy ({primaryRate:0.0%}) | promotion | β = {falsePromotionRate} | {Requests(primaryRate, nullRate, falsePromotionRate):0} |");
        report.AppendLine();
        foreach (var rps in new[] { 20, 200 })
        {
            report.AppendLine(c,
                $"At {rps} requests per second the canary serves {CanaryRequestsWithin(rps, 5):0} requests in its first 5 minutes of traffic and {CanaryRequestsWithin(rps, 10):0} in all 10 steps.");
        }

        report.AppendLine();
    }

    private static double KullbackLeibler(double p, double q) => (p * Math.Log(p / q)) + ((1 - p) * Math.Log((1 - p) / (1 - q)));
}
