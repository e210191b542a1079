using System.Buffers;

namespace Loops.Core.Policies;

/// <summary>
/// The features of each action of a decision hashed into a small dense vector of d = 2^k dimensions, for the models
/// that keep a covariance: bias, context features, the action's features and, when interactions are on, every context
/// feature crossed with every action feature (the same features as <see cref="LinearRewardModel"/>, hashed into far
/// fewer dimensions: colliding features add up). Each action also lists its non-zero dimensions. Buffers are pooled:
/// dispose every instance.
/// </summary>
internal readonly struct CompactFeatures : IDisposable
{
    private readonly double[] values;
    private readonly int[] nonZero;
    private readonly int[] nonZeroCounts;

    public CompactFeatures(DecisionFeatures features, int dimension, bool interactions)
    {
        int actions = features.ActionCount;
        Dimension = dimension;
        values = ArrayPool<double>.Shared.Rent(actions * dimension);
        nonZero = ArrayPool<int>.Shared.Rent(actions * dimension);
        nonZeroCounts = ArrayPool<int>.Shared.Rent(actions);
        uint mask = (uint)dimension - 1;
        var contextHashes = features.ContextHashes;
        var contextSeeds = features.ContextInteractionSeeds;
        var contextValues = features.ContextValues;
        for (int a = 0; a < actions; a++)
        {
            var x = Vector(a);
            x.Clear();
            x[(int)(FeatureHasher.ConstantHash & mask)] += 1;
            for (int c = 0; c < contextHashes.Length; c++)
            {
                x[(int)(contextHashes[c] & mask)] += contextValues[c];
            }

            var actionHashes = features.ActionHashes(a);
            var actionValues = features.ActionValues(a);
            for (int j = 0; j < actionHashes.Length; j++)
            {
                x[(int)(actionHashes[j] & mask)] += actionValues[j];
                if (interactions)
                {
                    for (int c = 0; c < contextSeeds.Length; c++)
                    {
                        x[(int)((contextSeeds[c] ^ actionHashes[j]) & mask)] += (double)contextValues[c] * actionValues[j];
                    }
                }
            }

            var list = nonZero.AsSpan(a * dimension, dimension);
            int count = 0;
            for (int i = 0; i < x.Length; i++)
            {
                if (x[i] != 0)
                {
                    list[count++] = i;
                }
            }

            nonZeroCounts[a] = count;
        }
    }

    public int Dimension { get; }

    /// <summary>The dense feature vector of an action.</summary>
    public Span<double> Vector(int action) => values.AsSpan(action * Dimension, Dimension);

    /// <summary>The dimensions where the action's vector is not 0, in increasing order.</summary>
    public ReadOnlySpan<int> NonZero(int action) => nonZero.AsSpan(action * Dimension, nonZeroCounts[action]);

    public void Dispose()
    {
        ArrayPool<double>.Shared.Return(values);
        ArrayPool<int>.Shared.Return(nonZero);
        ArrayPool<int>.Shared.Return(nonZeroCounts);
    }
}
