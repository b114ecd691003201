namespace Canary.Statistics;

/// <summary>Small helpers the sequential tests share.</summary>
internal static class SequentialEvidence
{
    /// <summary>Turns a log e-value into an e-value, capped so that it stays a finite number in reports.</summary>
    public static double ToEValue(double logEValue) => Math.Exp(Math.Min(logEValue, 700));
}
