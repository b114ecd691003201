namespace Canary.Cli.Reports;

/// <summary>The metric checks of one analysis step: how many passed, failed or were held for lack of data.</summary>
/// <param name="Time">When the checks ran.</param>
/// <param name="Passed">Checks that passed.</param>
/// <param name="Failed">Checks that failed.</param>
/// <param name="Held">Checks that held the canary because their metric had no data.</param>
/// <param name="Messages">What each check said.</param>
/// <param name="EventIndex">The position of the round's first event in the rollout.</param>
internal sealed record CheckRound(DateTimeOffset Time, int Passed, int Failed, int Held, IReadOnlyList<string> Messages, int EventIndex);
