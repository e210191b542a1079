namespace Loops.Core;

/// <summary>
/// A small lock-free cache of <see cref="DecisionFeatures"/> instances (with their buffers), so that encoding a
/// decision allocates nothing in steady state. Instances may be disposed on another thread than the one that
/// encoded them (async request handlers), hence shared slots rather than thread-static ones.
/// </summary>
internal static class DecisionFeaturesPool
{
    private static readonly DecisionFeatures?[] Slots = new DecisionFeatures?[Math.Clamp(Environment.ProcessorCount * 4, 8, 128)];

    public static DecisionFeatures? Rent()
    {
        var slots = Slots;
        for (int i = 0; i < slots.Length; i++)
        {
            var candidate = slots[i];
            if (candidate is not null && Interlocked.CompareExchange(ref slots[i], null, candidate) == candidate)
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>Keeps the instance for reuse; false when the pool is full (the caller then releases it).</summary>
    public static bool Return(DecisionFeatures features)
    {
        var slots = Slots;
        for (int i = 0; i < slots.Length; i++)
        {
            if (slots[i] is null && Interlocked.CompareExchange(ref slots[i], features, null) is null)
            {
                return true;
            }
        }

        return false;
    }
}
