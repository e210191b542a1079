using System.Buffers;
using Loops.Contracts.V1;
using Action = Loops.Contracts.V1.Action;

namespace Loops.Core;

/// <summary>
/// The hashed features of one decision: the context features, and for each candidate action its id and its own
/// features. Encoding is independent of any model (hashes are masked by the model that reads them).
/// </summary>
/// <remarks>
/// Instances and their buffers are pooled: dispose every instance, and do not use it afterwards. In steady state
/// <see cref="Encode"/> followed by <see cref="Dispose"/> allocates nothing. An instance may be read by several
/// threads at once, but not while it is being disposed. Numeric features whose value is 0, NaN or infinite (also
/// after conversion to <see cref="float"/>) are left out: they cannot contribute to a prediction.
/// </remarks>
public sealed class DecisionFeatures : IDisposable
{
    private const int InitialCapacity = 64;

    private uint[] contextHashes = [];
    private uint[] contextInteractionSeeds = [];
    private float[] contextValues = [];
    private uint[] actionHashes = [];
    private float[] actionValues = [];
    private int[] actionStarts = [];
    private int contextCount;
    private int actionCount;
    private bool disposed = true;

    private DecisionFeatures()
    {
    }

    /// <summary>The number of candidate actions.</summary>
    public int ActionCount
    {
        get
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            return actionCount;
        }
    }

    /// <summary>The number of context features kept (see the remarks on left-out values).</summary>
    public int ContextFeatureCount
    {
        get
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            return contextCount;
        }
    }

    internal ReadOnlySpan<uint> ContextHashes => contextHashes.AsSpan(0, contextCount);

    internal ReadOnlySpan<uint> ContextInteractionSeeds => contextInteractionSeeds.AsSpan(0, contextCount);

    internal ReadOnlySpan<float> ContextValues => contextValues.AsSpan(0, contextCount);

    /// <summary>Hashes the features of one decision.</summary>
    /// <param name="context">The context features (shared by all actions).</param>
    /// <param name="actions">The candidate actions, in the order in which scores will be returned.</param>
    /// <returns>The encoded decision; dispose it when done.</returns>
    public static DecisionFeatures Encode(IReadOnlyList<Feature> context, IReadOnlyList<Action> actions)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(actions);

        var features = DecisionFeaturesPool.Rent() ?? new DecisionFeatures();
        features.Fill(context, actions);
        return features;
    }

    /// <summary>The number of features of an action, counting its id.</summary>
    /// <param name="action">The action's index.</param>
    /// <returns>The number of hashed features of the action.</returns>
    public int ActionFeatureCount(int action)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        ArgumentOutOfRangeException.ThrowIfNegative(action);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(action, actionCount);
        return actionStarts[action + 1] - actionStarts[action];
    }

    /// <summary>Returns the instance and its buffers to the pool. Further calls do nothing.</summary>
    public void Dispose()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        if (!DecisionFeaturesPool.Return(this))
        {
            ReleaseBuffers();
        }
    }

    internal void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(disposed, this);

    internal ReadOnlySpan<uint> ActionHashes(int action) =>
        actionHashes.AsSpan(actionStarts[action], actionStarts[action + 1] - actionStarts[action]);

    internal ReadOnlySpan<float> ActionValues(int action) =>
        actionValues.AsSpan(actionStarts[action], actionStarts[action + 1] - actionStarts[action]);

    private void Fill(IReadOnlyList<Feature> context, IReadOnlyList<Action> actions)
    {
        int actionFeatureCapacity = 0;
        for (int a = 0; a < actions.Count; a++)
        {
            var action = actions[a] ?? throw new ArgumentException($"actions[{a}] is null", nameof(actions));
            actionFeatureCapacity += action.Features.Count + 1;
        }

        EnsureCapacity(ref contextHashes, context.Count);
        EnsureCapacity(ref contextInteractionSeeds, context.Count);
        EnsureCapacity(ref contextValues, context.Count);
        EnsureCapacity(ref actionHashes, actionFeatureCapacity);
        EnsureCapacity(ref actionValues, actionFeatureCapacity);
        EnsureCapacity(ref actionStarts, actions.Count + 1);

        // Indexed loops: enumerating a RepeatedField through the interface would allocate an enumerator.
        contextCount = 0;
        for (int i = 0; i < context.Count; i++)
        {
            if (TryHash(context[i], out uint hash, out float value))
            {
                contextHashes[contextCount] = hash;
                contextInteractionSeeds[contextCount] = FeatureHasher.InteractionSeed(hash);
                contextValues[contextCount] = value;
                contextCount++;
            }
        }

        int written = 0;
        for (int a = 0; a < actions.Count; a++)
        {
            actionStarts[a] = written;
            var action = actions[a];
            actionHashes[written] = FeatureHasher.HashActionId(action.Id);
            actionValues[written] = 1;
            written++;

            var own = action.Features;
            for (int i = 0; i < own.Count; i++)
            {
                if (TryHash(own[i], out uint hash, out float value))
                {
                    actionHashes[written] = hash;
                    actionValues[written] = value;
                    written++;
                }
            }
        }

        actionStarts[actions.Count] = written;
        actionCount = actions.Count;
        disposed = false;
    }

    private static bool TryHash(Feature feature, out uint hash, out float value)
    {
        if (feature is null)
        {
            hash = 0;
            value = 0;
            return false;
        }

        hash = FeatureHasher.Hash(feature, out double number);
        value = (float)number;
        return value != 0 && float.IsFinite(value);
    }

    private static void EnsureCapacity<T>(ref T[] buffer, int needed)
    {
        if (buffer.Length >= needed && buffer.Length > 0)
        {
            return;
        }

        if (buffer.Length > 0)
        {
            ArrayPool<T>.Shared.Return(buffer);
        }

        buffer = ArrayPool<T>.Shared.Rent(Math.Max(needed, InitialCapacity));
    }

    private void ReleaseBuffers()
    {
        Release(ref contextHashes);
        Release(ref contextInteractionSeeds);
        Release(ref contextValues);
        Release(ref actionHashes);
        Release(ref actionValues);
        Release(ref actionStarts);
    }

    private static void Release<T>(ref T[] buffer)
    {
        if (buffer.Length > 0)
        {
            ArrayPool<T>.Shared.Return(buffer);
        }

        buffer = [];
    }
}
