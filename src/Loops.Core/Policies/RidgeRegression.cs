using System.Numerics.Tensors;

namespace Loops.Core.Policies;

/// <summary>
/// Online ridge regression over d-dimensional vectors with its covariance, the model of linucb and thompson:
/// θ = A⁻¹b with A = λI + Σ xxᵀ and b = Σ r·x. A⁻¹ is kept directly and updated in O(d²) per event by the
/// Sherman–Morrison formula; θ is updated alongside it in O(d), so neither A nor b is stored. Rewards are learned
/// divided by a reward scale (the power of two above every |reward| seen), which θ follows exactly when it grows.
/// The noise level σ̂ that scales the confidence bounds and the posterior is estimated from the residuals of the
/// predictions made before each update (progressive residuals), starting from one pseudo-observation of variance 1.
/// </summary>
/// <remarks>
/// Memory: 8·d² bytes for A⁻¹ plus 8·d for θ (128 KiB at d = 128). Readers take no lock; a reader racing an update may
/// see a mix of both states, so variances read here are clamped at 0.
/// </remarks>
internal sealed class RidgeRegression
{
    public RidgeRegression(int dimension, double ridge)
    {
        Dimension = dimension;
        Covariance = new double[dimension * dimension];
        Weights = new double[dimension];
        for (int i = 0; i < dimension; i++)
        {
            Covariance[(i * dimension) + i] = 1 / ridge;
        }
    }

    public RidgeRegression(int dimension, double[] covariance, double[] weights, double rewardScale, long updates, double sumOfSquaredResiduals)
    {
        Dimension = dimension;
        Covariance = covariance;
        Weights = weights;
        RewardScale = rewardScale;
        SumOfSquaredResiduals = sumOfSquaredResiduals;
        this.updates = updates;
    }

    private long updates;

    public int Dimension { get; }

    /// <summary>A⁻¹, row-major (symmetric).</summary>
    public double[] Covariance { get; }

    /// <summary>θ, on rewards divided by <see cref="RewardScale"/>.</summary>
    public double[] Weights { get; }

    /// <summary>0 until a non-zero reward is seen, then the power of two at or above every |reward| seen.</summary>
    public double RewardScale { get; private set; }

    public long Updates => Volatile.Read(ref updates);

    /// <summary>Σ (reward − prediction before the update)², on the reward's scale.</summary>
    public double SumOfSquaredResiduals { get; private set; }

    /// <summary>σ̂, the estimated noise standard deviation on the normalised reward scale (1 before any event).</summary>
    public double NoiseScale => Math.Sqrt(((SumOfSquaredResiduals / (Unit * Unit)) + 1) / (Updates + 1));

    public long StateBytes => sizeof(double) * ((long)Covariance.Length + Weights.Length);

    /// <summary>The reward unit scores are divided by for exploration.</summary>
    public double Unit => RewardScale > 0 ? RewardScale : 1;

    /// <summary>θ·x, on the reward's scale.</summary>
    public double Mean(ReadOnlySpan<double> x) => TensorPrimitives.Dot(Weights, x) * Unit;

    /// <summary>xᵀA⁻¹x (on the scale of the normalised reward), from x's non-zero dimensions; never negative.</summary>
    public double Variance(ReadOnlySpan<double> x, ReadOnlySpan<int> nonZero)
    {
        double variance = 0;
        foreach (int j in nonZero)
        {
            variance += x[j] * TensorPrimitives.Dot(Row(j), x);
        }

        return Math.Max(variance, 0);
    }

    /// <summary>Writes A⁻¹x into <paramref name="product"/>.</summary>
    public void Multiply(ReadOnlySpan<double> x, ReadOnlySpan<int> nonZero, Span<double> product)
    {
        product.Clear();
        foreach (int j in nonZero)
        {
            TensorPrimitives.MultiplyAdd(Row(j), x[j], product, product);
        }
    }

    /// <summary>Adds one observation; returns the prediction for x before it, on the reward's scale.</summary>
    public double Learn(ReadOnlySpan<double> x, ReadOnlySpan<int> nonZero, double reward, Span<double> scratch)
    {
        double magnitude = Math.Abs(reward);
        if (magnitude > RewardScale)
        {
            double grown = Math.Pow(2, Math.Ceiling(Math.Log2(magnitude)));
            if (RewardScale > 0)
            {
                TensorPrimitives.Multiply(Weights, RewardScale / grown, Weights);
            }

            RewardScale = grown;
        }

        double prediction = TensorPrimitives.Dot(Weights, x);
        var u = scratch[..Dimension];
        Multiply(x, nonZero, u);
        double denominator = 1 + Math.Max(TensorPrimitives.Dot(x, u), 0);
        TensorPrimitives.MultiplyAdd(u, ((reward / Unit) - prediction) / denominator, Weights, Weights);
        for (int i = 0; i < Dimension; i++)
        {
            if (u[i] != 0)
            {
                var row = Covariance.AsSpan(i * Dimension, Dimension);
                TensorPrimitives.MultiplyAdd(u, -u[i] / denominator, row, row);
            }
        }

        double residual = reward - (prediction * Unit);
        SumOfSquaredResiduals += residual * residual;
        Volatile.Write(ref updates, updates + 1);
        return prediction * Unit;
    }

    public RidgeRegression Clone() =>
        new(Dimension, (double[])Covariance.Clone(), (double[])Weights.Clone(), RewardScale, updates, SumOfSquaredResiduals);

    private ReadOnlySpan<double> Row(int index) => Covariance.AsSpan(index * Dimension, Dimension);
}
