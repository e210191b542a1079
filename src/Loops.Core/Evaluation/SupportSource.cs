namespace Loops.Core.Evaluation;

/// <summary>Where <see cref="WeightDiagnostics.LowSupportShare"/> comes from.</summary>
public enum SupportSource
{
    /// <summary>Exact: the logger's full distribution of every event was known.</summary>
    LoggedDistributions,

    /// <summary>
    /// Estimated from the logged actions alone: Σ w_i · 1[μ(a_i|x_i) &lt; threshold] / Σ w_i, a self-normalised
    /// (consistent, always in [0, 1]) estimate of the target's mass on actions the logger played with a positive
    /// probability below the threshold. Actions the logger never plays (μ = 0) cannot be seen this way.
    /// </summary>
    ImportanceWeights,
}
