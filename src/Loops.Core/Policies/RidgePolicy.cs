using System.Buffers;
using System.Numerics.Tensors;

namespace Loops.Core.Policies;

/// <summary>
/// linucb and thompson: one ridge regression shared by all actions over their compact feature vectors (see
/// <see cref="CompactFeatures"/>), learned on the chosen action's reward without importance weights (exact
/// least squares; the covariance is the model's own measure of what it has not yet explored).
/// </summary>
/// <remarks>
/// <para>
/// linucb chooses among the allowed actions the highest upper confidence bound θ·x + α·σ̂·√(xᵀA⁻¹x) (on rewards
/// divided by the reward scale; σ̂ is the regression's estimated noise level, see <see cref="RidgeRegression"/>); ties
/// share. The ε floor is mixed in afterwards.
/// </para>
/// <para>
/// thompson draws the weights from N(θ, v²σ̂²A⁻¹) and chooses the action with the highest drawn score. The scores of the
/// K candidate actions under such a draw are jointly normal with mean Xθ and covariance v²σ̂²XA⁻¹Xᵀ, so they are drawn
/// directly from that K-dimensional normal (a K×K Cholesky factor), which is exact and much cheaper than drawing θ.
/// The probability that Thompson sampling picks an action has no closed form; this policy draws
/// <see cref="ThompsonDraws"/> score vectors from a stream seeded by the decision's seed and returns the share of
/// draws each action wins (ties share). That share is the distribution the action is then sampled from, so the logged
/// probability is exact for the decision actually made: it is a Monte Carlo estimate (resolution 1/128) of ideal
/// Thompson sampling's probability, not that probability itself. Actions that win no draw get 0 unless the ε floor
/// is set, which is recommended when the logs will be used to evaluate other policies.
/// </para>
/// </remarks>
internal sealed class RidgePolicy : BanditPolicy
{
    /// <summary>The number of Monte Carlo draws of Thompson sampling per decision.</summary>
    public const int ThompsonDraws = 128;

    private const ulong ThompsonSalt = 0x7505_0A3B_1D6E_C4F1UL;

    public RidgePolicy(BanditModelSettings settings, ExplorationSettings exploration)
        : this(settings, exploration, new RidgeRegression(settings.LinearDimension, settings.Ridge))
    {
    }

    public RidgePolicy(BanditModelSettings settings, ExplorationSettings exploration, RidgeRegression regression)
        : base(settings, exploration)
    {
        Regression = regression;
    }

    public RidgeRegression Regression { get; }

    public override long Updates => Regression.Updates;

    public override long StateBytes => Regression.StateBytes;

    private protected override void DecideCore(
        DecisionFeatures features, ReadOnlySpan<bool> allowed, ulong seed, ExplorationSettings settings, Span<double> scores, Span<double> probabilities)
    {
        using var compact = new CompactFeatures(features, Regression.Dimension, Settings.Learner.Interactions);
        for (int a = 0; a < scores.Length; a++)
        {
            scores[a] = Regression.Mean(compact.Vector(a));
        }

        if (Algorithm == BanditAlgorithm.LinUcb)
        {
            UpperConfidenceBounds(compact, allowed, settings.LinUcbAlpha * Regression.NoiseScale, scores, probabilities);
        }
        else
        {
            ThompsonSampling(compact, allowed, seed, settings.ThompsonScale * Regression.NoiseScale, scores, probabilities);
        }
    }

    private protected override double LearnCore(DecisionFeatures features, int chosen, double reward, double probability)
    {
        using var compact = new CompactFeatures(features, Regression.Dimension, Settings.Learner.Interactions);
        double[] scratch = ArrayPool<double>.Shared.Rent(Regression.Dimension);
        try
        {
            return Regression.Learn(compact.Vector(chosen), compact.NonZero(chosen), reward, scratch);
        }
        finally
        {
            ArrayPool<double>.Shared.Return(scratch);
        }
    }

    private protected override BanditPolicy CloneCore() => new RidgePolicy(Settings, Exploration, Regression.Clone());

    private void UpperConfidenceBounds(
        in CompactFeatures compact, ReadOnlySpan<bool> allowed, double alpha, ReadOnlySpan<double> scores, Span<double> probabilities)
    {
        int count = scores.Length;
        double[] bounds = ArrayPool<double>.Shared.Rent(count);
        try
        {
            double unit = Regression.Unit;
            for (int a = 0; a < count; a++)
            {
                bounds[a] = allowed[a]
                    ? (scores[a] / unit) + (alpha * Math.Sqrt(Regression.Variance(compact.Vector(a), compact.NonZero(a))))
                    : double.NegativeInfinity;
            }

            Core.Exploration.Greedy(bounds.AsSpan(0, count), allowed, probabilities);
        }
        finally
        {
            ArrayPool<double>.Shared.Return(bounds);
        }
    }

    private void ThompsonSampling(
        in CompactFeatures compact, ReadOnlySpan<bool> allowed, ulong seed, double scale, ReadOnlySpan<double> scores, Span<double> probabilities)
    {
        int count = scores.Length;
        int d = Regression.Dimension;
        int[] candidates = ArrayPool<int>.Shared.Rent(count);
        double[] products = ArrayPool<double>.Shared.Rent(count * d);
        double[] factor = ArrayPool<double>.Shared.Rent(count * count);
        double[] means = ArrayPool<double>.Shared.Rent(count);
        double[] draw = ArrayPool<double>.Shared.Rent(2 * count);
        try
        {
            int k = 0;
            for (int a = 0; a < count; a++)
            {
                if (allowed[a])
                {
                    means[k] = scores[a] / Regression.Unit;
                    candidates[k++] = a;
                }
            }

            // Covariance of the candidates' scores, v²·XA⁻¹Xᵀ, then its lower Cholesky factor in place.
            var cholesky = factor.AsSpan(0, k * k);
            for (int i = 0; i < k; i++)
            {
                var product = products.AsSpan(i * d, d);
                Regression.Multiply(compact.Vector(candidates[i]), compact.NonZero(candidates[i]), product);
                for (int j = 0; j <= i; j++)
                {
                    cholesky[(i * k) + j] = scale * scale * TensorPrimitives.Dot(product, compact.Vector(candidates[j]));
                }
            }

            Factorize(cholesky, k);
            probabilities.Clear();
            var random = new SeededRandom(SeededRandom.Mix(seed, ThompsonSalt));
            var normals = draw.AsSpan(0, k);
            var drawn = draw.AsSpan(k, k);
            double vote = 1.0 / ThompsonDraws;
            for (int n = 0; n < ThompsonDraws; n++)
            {
                for (int i = 0; i < k; i++)
                {
                    normals[i] = random.NextNormal();
                }

                double best = double.NegativeInfinity;
                int winners = 0;
                for (int i = 0; i < k; i++)
                {
                    // A plain loop: rows are short (at most K), where a vectorised call costs more than it saves.
                    double value = means[i];
                    var row = cholesky.Slice(i * k, i + 1);
                    for (int j = 0; j < row.Length; j++)
                    {
                        value += row[j] * normals[j];
                    }

                    drawn[i] = value;
                    if (value > best)
                    {
                        best = value;
                        winners = 1;
                    }
                    else if (value == best)
                    {
                        winners++;
                    }
                }

                if (winners == 0)
                {
                    // Only NaN draws (a model corrupted by a race): every candidate shares the vote.
                    for (int i = 0; i < k; i++)
                    {
                        probabilities[candidates[i]] += vote / k;
                    }

                    continue;
                }

                for (int i = 0; i < k; i++)
                {
                    if (drawn[i] == best)
                    {
                        probabilities[candidates[i]] += vote / winners;
                    }
                }
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(candidates);
            ArrayPool<double>.Shared.Return(products);
            ArrayPool<double>.Shared.Return(factor);
            ArrayPool<double>.Shared.Return(means);
            ArrayPool<double>.Shared.Return(draw);
        }
    }

    // Lower Cholesky factor of a symmetric positive semi-definite matrix (its lower triangle is read), in place.
    // Directions without variance (equal actions, or rounding) get a zero column instead of failing.
    private static void Factorize(Span<double> matrix, int n)
    {
        for (int j = 0; j < n; j++)
        {
            double pivot = matrix[(j * n) + j];
            for (int p = 0; p < j; p++)
            {
                pivot -= matrix[(j * n) + p] * matrix[(j * n) + p];
            }

            double diagonal = pivot > 1e-12 * Math.Max(matrix[(j * n) + j], 1e-300) ? Math.Sqrt(pivot) : 0;
            matrix[(j * n) + j] = diagonal;
            for (int i = j + 1; i < n; i++)
            {
                double sum = matrix[(i * n) + j];
                for (int p = 0; p < j; p++)
                {
                    sum -= matrix[(i * n) + p] * matrix[(j * n) + p];
                }

                matrix[(i * n) + j] = diagonal > 0 ? sum / diagonal : 0;
            }

            for (int i = 0; i < j; i++)
            {
                matrix[(i * n) + j] = 0;
            }
        }
    }
}
