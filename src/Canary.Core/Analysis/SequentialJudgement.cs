using Canary.Model;
using Canary.Statistics;

namespace Canary.Analysis;

/// <summary>What the sequential judge concluded after one interval.</summary>
/// <param name="Verdict">Roll back, promote early, or keep going.</param>
/// <param name="Reason">The evidence, in words a user can check.</param>
/// <param name="State">The evidence to save in the status.</param>
/// <param name="RollbackEValue">The largest rollback e-value of the tests.</param>
internal sealed record SequentialJudgement(SequentialVerdict Verdict, string Reason, SequentialTestState State, double RollbackEValue);
