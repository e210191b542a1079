using System.Globalization;

namespace Loops.Core.Policies;

/// <summary>
/// What the learned state of a <see cref="BanditPolicy"/> depends on: its algorithm and its learner. A policy whose
/// model settings change needs a new model; its <see cref="ExplorationSettings"/> can change at any time.
/// Immutable, with defaults that suit most problems.
/// </summary>
public sealed record BanditModelSettings
{
    /// <summary>The default <see cref="Bags"/>.</summary>
    public const int DefaultBags = 5;

    /// <summary>The largest <see cref="Bags"/>.</summary>
    public const int MaxBags = 64;

    /// <summary>The default <see cref="LinearBits"/>: 128 dimensions, room for about 50 features with few collisions.</summary>
    public const int DefaultLinearBits = 7;

    /// <summary>The smallest <see cref="LinearBits"/>.</summary>
    public const int MinLinearBits = 2;

    /// <summary>The largest <see cref="LinearBits"/> (1024 dimensions: an 8 MiB covariance, about 1 ms per update).</summary>
    public const int MaxLinearBits = 10;

    /// <summary>The algorithm; default <see cref="BanditAlgorithm.EpsilonGreedy"/>.</summary>
    public BanditAlgorithm Algorithm { get; init; }

    /// <summary>
    /// The learner: for the regression algorithms (epsilon_greedy, softmax, squarecb, bagging) every setting applies;
    /// linucb and thompson use only <see cref="LearnerSettings.Interactions"/> (their regression is exact ridge
    /// regression on the chosen action, without learning rate or importance weights).
    /// </summary>
    public LearnerSettings Learner { get; init; } = new();

    /// <summary>bagging: the number of bootstrap models, 1 to 64; default 5. Memory and time grow linearly with it.</summary>
    public int Bags { get; init; } = DefaultBags;

    /// <summary>
    /// linucb and thompson: log2 of the dimension d of the compact feature vector every feature is hashed into; 2 to
    /// 10, default 7 (d = 128). The model keeps a d×d covariance of doubles: 8·d² bytes (128 KiB at the default).
    /// </summary>
    public int LinearBits { get; init; } = DefaultLinearBits;

    /// <summary>linucb and thompson: the ridge prior λ (the covariance starts as I/λ); positive, default 1.</summary>
    public double Ridge { get; init; } = 1;

    /// <summary>The dimension of the compact feature vector of linucb and thompson, 2^<see cref="LinearBits"/>.</summary>
    public int LinearDimension => 1 << LinearBits;

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    /// <exception cref="ArgumentException">A setting is out of its range.</exception>
    public void Validate()
    {
        if (!Enum.IsDefined(Algorithm))
        {
            throw new ArgumentException($"algorithm {(int)Algorithm} is unknown; use one of {string.Join(", ", BanditAlgorithms.All)}");
        }

        ArgumentNullException.ThrowIfNull(Learner);
        Learner.Validate();
        if (Bags is < 1 or > MaxBags)
        {
            throw new ArgumentException($"algorithm_settings.bags must be between 1 and {MaxBags}, got {Bags}");
        }

        if (LinearBits is < MinLinearBits or > MaxLinearBits)
        {
            throw new ArgumentException($"algorithm_settings.linear_bits must be between {MinLinearBits} and {MaxLinearBits}, got {LinearBits}");
        }

        if (!double.IsFinite(Ridge) || Ridge <= 0)
        {
            throw new ArgumentException($"algorithm_settings.ridge must be a positive finite number, got {Ridge.ToString(CultureInfo.InvariantCulture)}");
        }

        if (Algorithm is BanditAlgorithm.LinUcb or BanditAlgorithm.Thompson)
        {
            if (Learner.CbType != CbType.Mtr)
            {
                throw new ArgumentException("learning.cb_type applies to the regression algorithms; linucb and thompson fit a ridge regression on the chosen action");
            }

            if (Learner.ForgettingHalfLife != 0)
            {
                throw new ArgumentException("learning.forgetting_half_life is not supported by linucb and thompson; use a regression algorithm for drifting populations");
            }
        }
    }
}
