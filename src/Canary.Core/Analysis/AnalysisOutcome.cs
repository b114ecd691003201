namespace Canary.Analysis;

/// <summary>The outcome of one analysis step over every metric check.</summary>
/// <param name="Reports">One report per check, in spec order.</param>
/// <param name="NoDataIntervals">The consecutive no-data holds per metric after this step.</param>
internal sealed record AnalysisOutcome(IReadOnlyList<CheckReport> Reports, IReadOnlyDictionary<string, int> NoDataIntervals)
{
    /// <summary>Gets the step's verdict: any failed check fails it; otherwise any held check holds it.</summary>
    public CheckVerdict Verdict
    {
        get
        {
            var verdict = CheckVerdict.Passed;
            foreach (var report in Reports)
            {
                if (report.Verdict == CheckVerdict.Failed)
                {
                    return CheckVerdict.Failed;
                }

                if (report.Verdict == CheckVerdict.Held)
                {
                    verdict = CheckVerdict.Held;
                }
            }

            return verdict;
        }
    }
}
