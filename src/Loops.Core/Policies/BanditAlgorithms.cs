namespace Loops.Core.Policies;

/// <summary>The names of the <see cref="BanditAlgorithm"/> values, as policies spell them.</summary>
public static class BanditAlgorithms
{
    private static readonly string[] Names = ["epsilon_greedy", "softmax", "squarecb", "bagging", "linucb", "thompson"];

    /// <summary>Every algorithm name, in the order of <see cref="BanditAlgorithm"/>.</summary>
    public static IReadOnlyList<string> All => Names;

    /// <summary>The name of an algorithm, for example "epsilon_greedy".</summary>
    /// <param name="algorithm">The algorithm.</param>
    /// <returns>Its name.</returns>
    public static string NameOf(BanditAlgorithm algorithm) => Names[(int)algorithm];

    /// <summary>Finds an algorithm by its exact name; the empty name is <see cref="BanditAlgorithm.EpsilonGreedy"/>.</summary>
    /// <param name="name">The name.</param>
    /// <param name="algorithm">The algorithm, when found.</param>
    /// <returns>True when the name is known.</returns>
    public static bool TryParse(string? name, out BanditAlgorithm algorithm)
    {
        int index = string.IsNullOrEmpty(name) ? 0 : Array.IndexOf(Names, name);
        algorithm = (BanditAlgorithm)Math.Max(index, 0);
        return index >= 0;
    }
}
