using System.Globalization;

namespace Loops.Core.Evaluation;

/// <summary>How confidence intervals are computed. Immutable; the defaults are a 95% normal-approximation interval.</summary>
public sealed record IntervalOptions
{
    /// <summary>The defaults.</summary>
    public static readonly IntervalOptions Default = new();

    /// <summary>The interval method; default <see cref="IntervalMethod.Normal"/>.</summary>
    public IntervalMethod Method { get; init; } = IntervalMethod.Normal;

    /// <summary>The confidence level 1 − δ, strictly between 0 and 1; default 0.95.</summary>
    public double ConfidenceLevel { get; init; } = 0.95;

    /// <summary>The number of bootstrap resamples (only for <see cref="IntervalMethod.Bootstrap"/>); default 1000, at least 100.</summary>
    public int BootstrapResamples { get; init; } = 1000;

    /// <summary>The seed of the bootstrap's resampling; default 0. The same seed and data give the same interval.</summary>
    public int Seed { get; init; }

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first invalid option.</summary>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public void Validate()
    {
        if (!(ConfidenceLevel > 0 && ConfidenceLevel < 1))
        {
            throw new ArgumentOutOfRangeException(
                nameof(ConfidenceLevel),
                ConfidenceLevel,
                string.Create(CultureInfo.InvariantCulture, $"the confidence level must be strictly between 0 and 1, got {ConfidenceLevel}"));
        }

        if (!Enum.IsDefined(Method))
        {
            throw new ArgumentOutOfRangeException(nameof(Method), Method, "unknown interval method");
        }

        if (Method == IntervalMethod.Bootstrap && BootstrapResamples < 100)
        {
            throw new ArgumentOutOfRangeException(
                nameof(BootstrapResamples), BootstrapResamples, "the bootstrap needs at least 100 resamples");
        }
    }
}
