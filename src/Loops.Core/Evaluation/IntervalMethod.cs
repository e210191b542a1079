namespace Loops.Core.Evaluation;

/// <summary>How the confidence interval of an estimate is computed.</summary>
public enum IntervalMethod
{
    /// <summary>
    /// Normal approximation (central limit theorem): V̂ ± z · s / √n, with s the sample standard deviation of the
    /// per-event influence values. Cheap and accurate for large n; too narrow when a few huge weights dominate.
    /// </summary>
    Normal,

    /// <summary>
    /// Empirical Bernstein (Maurer &amp; Pontil, 2009, Theorem 4), each side at level δ/2:
    /// V̂ ± (√(2 s² ln(4/δ) / n) + 7 R ln(4/δ) / (3 (n − 1))), with s² the sample variance and R the range of the
    /// influence values. R is the observed range, not a known bound, so the interval is conservative but not a
    /// guarantee.
    /// </summary>
    Bernstein,

    /// <summary>
    /// Percentile bootstrap: the estimator is recomputed on resamples of the events drawn with replacement from a
    /// seeded generator; the interval is between the (δ/2) and (1 − δ/2) quantiles of the resampled estimates.
    /// </summary>
    Bootstrap,
}
