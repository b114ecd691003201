namespace Canary.Model;

/// <summary>The scores that classify a Kayenta judgement (<c>judge.scoreThresholds</c>), as Kayenta's execution request and Argo's <c>threshold</c> give them.</summary>
public sealed record KayentaScoreThresholds
{
    /// <summary>Gets the score, from 0 to 100, at or above which the window passes.</summary>
    /// <value>The default value is 95, Kayenta's.</value>
    public double Pass { get; init; } = 95;

    /// <summary>Gets the score, from 0 to 100 and at most <see cref="Pass"/>, at or above which a window that does not pass is marginal; below it the window fails.</summary>
    /// <value>The default value is 75, Kayenta's.</value>
    public double Marginal { get; init; } = 75;
}
