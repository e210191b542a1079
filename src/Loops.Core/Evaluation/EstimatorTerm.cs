namespace Loops.Core.Evaluation;

/// <summary>
/// One event's contribution to an estimate of the form V̂ = (1/n) Σ Direct_i + Σ Weighted_i / Σ Normalizer_i.
/// A plain average has Normalizer = 1 (the second part is then a mean too); a self-normalised estimator uses the
/// importance weight as the normaliser.
/// </summary>
/// <param name="Direct">The model-based part, averaged over events (v̂(x_i) for DM and DR, 0 for IPS).</param>
/// <param name="Weighted">The importance-weighted part (w_i r_i for IPS, w_i (r_i − q̂(x_i, a_i)) for DR).</param>
/// <param name="Normalizer">What the weighted part is divided by, summed over events (1, or w_i when self-normalised).</param>
public readonly record struct EstimatorTerm(double Direct, double Weighted, double Normalizer);
