using System.Buffers;
using System.IO.Hashing;
using System.Runtime.CompilerServices;
using System.Text;
using Loops.Contracts.V1;

namespace Loops.Core;

/// <summary>
/// Hashes features into 32-bit hashes (the hashing trick): a numeric feature hashes (namespace, name) and keeps its
/// value; a categorical feature hashes (namespace, name, category) and has the value 1. Hashes are stable across
/// processes and versions (XxHash32 of UTF-8), so saved models stay valid. Nothing here allocates.
/// </summary>
/// <remarks>
/// Hashes are full 32-bit values; a model masks them into its own weight space, so one encoding serves models of
/// any size.
/// </remarks>
public static class FeatureHasher
{
    /// <summary>The hash of the constant (bias) feature every prediction includes.</summary>
    public const uint ConstantHash = 11650396; // Vowpal Wabbit's constant, for familiarity in dumps.

    // The FNV prime that Vowpal Wabbit uses to cross two hashes (its "-q" quadratic features).
    private const uint InteractionPrime = 16777619;

    // 0xFF and 0xFE never occur in UTF-8, so these separators make the byte layout unambiguous:
    // ("a", "bc") and ("ab", "c") cannot collide by construction, nor can a name and a name=category pair.
    private const byte NameSeparator = 0xFF;
    private const byte CategorySeparator = 0xFE;

    private const uint FeatureSeed = 0;
    private const uint ActionIdSeed = 0x5EED_AC71;
    private const int StackBufferBytes = 512;

    // Per thread, so a hit costs no synchronisation; the strings it holds are few and short.
    private const int RecentSlots = 4096;

    [ThreadStatic]
    private static RecentHash[]? t_recent;

    /// <summary>Hashes a numeric feature (or a presence indicator) by its namespace and name.</summary>
    /// <param name="featureNamespace">The feature's namespace, for example "user".</param>
    /// <param name="name">The feature's name.</param>
    /// <returns>The 32-bit hash.</returns>
    public static uint HashNumeric(string featureNamespace, string name)
    {
        ArgumentNullException.ThrowIfNull(featureNamespace);
        ArgumentNullException.ThrowIfNull(name);
        return HashParts(featureNamespace, name, category: null, FeatureSeed);
    }

    /// <summary>Hashes a categorical feature: the indicator name=category within the namespace.</summary>
    /// <param name="featureNamespace">The feature's namespace, for example "user".</param>
    /// <param name="name">The feature's name, for example "country".</param>
    /// <param name="category">The category, for example "FR".</param>
    /// <returns>The 32-bit hash.</returns>
    public static uint HashCategory(string featureNamespace, string name, string category)
    {
        ArgumentNullException.ThrowIfNull(featureNamespace);
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(category);
        return HashParts(featureNamespace, name, category, FeatureSeed);
    }

    /// <summary>
    /// Hashes the id of an action, which the learner treats as a feature of the action. It is hashed apart from
    /// all user features, so no user feature can collide with it by name.
    /// </summary>
    /// <param name="actionId">The action's id.</param>
    /// <returns>The 32-bit hash.</returns>
    public static uint HashActionId(string actionId)
    {
        ArgumentNullException.ThrowIfNull(actionId);
        return HashParts(actionId, name: null, category: null, ActionIdSeed);
    }

    /// <summary>
    /// Hashes a feature message and returns its value: the number for a numeric feature, 1 for a categorical one,
    /// and 1 for a feature without a value (a presence indicator).
    /// </summary>
    /// <param name="feature">The feature.</param>
    /// <param name="value">The feature's value.</param>
    /// <returns>The 32-bit hash.</returns>
    public static uint Hash(Feature feature, out double value)
    {
        ArgumentNullException.ThrowIfNull(feature);
        if (feature.ValueCase == Feature.ValueOneofCase.Category)
        {
            value = 1;
            return HashParts(feature.Namespace, feature.Name, feature.Category, FeatureSeed);
        }

        value = feature.ValueCase == Feature.ValueOneofCase.Number ? feature.Number : 1;
        return HashParts(feature.Namespace, feature.Name, category: null, FeatureSeed);
    }

    /// <summary>
    /// Crosses two hashes into the hash of their interaction (multiply by the FNV prime, then xor, as in Vowpal
    /// Wabbit's quadratic features). Not symmetric: pass the context hash first.
    /// </summary>
    /// <param name="contextHash">The hash of the context feature.</param>
    /// <param name="actionHash">The hash of the action feature.</param>
    /// <returns>The hash of the interaction.</returns>
    public static uint Interact(uint contextHash, uint actionHash) => InteractionSeed(contextHash) ^ actionHash;

    // The context half of an interaction hash; precomputed once per context feature on the hot path.
    internal static uint InteractionSeed(uint contextHash) => contextHash * InteractionPrime;

    private static uint HashParts(string first, string? name, string? category, uint seed)
    {
        // Requests decoded by the service share their strings from one request to the next (see the contracts'
        // SharedStrings), so a hash is found again by the identity of its parts without encoding them anew.
        var cache = t_recent ??= new RecentHash[RecentSlots];
        var slot = (RuntimeHelpers.GetHashCode(first) ^ (name is null ? 0 : RuntimeHelpers.GetHashCode(name) * 31)
            ^ (category is null ? 0 : RuntimeHelpers.GetHashCode(category) * 961) ^ (int)seed) & (RecentSlots - 1);
        ref var recent = ref cache[slot];
        if (ReferenceEquals(recent.First, first) && ReferenceEquals(recent.Name, name)
            && ReferenceEquals(recent.Category, category) && recent.Seed == seed)
        {
            return recent.Hash;
        }

        var hash = ComputeHash(first, name, category, seed);
        recent = new RecentHash(first, name, category, seed, hash);
        return hash;
    }

    [SkipLocalsInit] // The buffer is written before it is read; zeroing it would cost more than the hash.
    private static uint ComputeHash(string first, string? name, string? category, uint seed)
    {
        int maxBytes = Encoding.UTF8.GetMaxByteCount(first.Length + (name?.Length ?? 0) + (category?.Length ?? 0)) + 2;
        byte[]? rented = null;
        Span<byte> buffer = maxBytes <= StackBufferBytes
            ? stackalloc byte[StackBufferBytes]
            : (rented = ArrayPool<byte>.Shared.Rent(maxBytes));
        try
        {
            int length = Encoding.UTF8.GetBytes(first, buffer);
            if (name is not null)
            {
                buffer[length++] = NameSeparator;
                length += Encoding.UTF8.GetBytes(name, buffer[length..]);
            }

            if (category is not null)
            {
                buffer[length++] = CategorySeparator;
                length += Encoding.UTF8.GetBytes(category, buffer[length..]);
            }

            return XxHash32.HashToUInt32(buffer[..length], unchecked((int)seed));
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>A hash computed lately, by the string instances it was computed from.</summary>
    private readonly record struct RecentHash(string First, string? Name, string? Category, uint Seed, uint Hash);
}
