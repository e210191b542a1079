namespace Loops.Core.Tests;

public sealed class SamplingTests
{
    [Fact]
    public void Same_seed_gives_the_same_index()
    {
        double[] probabilities = [0.1, 0.2, 0.3, 0.4];

        for (ulong seed = 0; seed < 200; seed++)
        {
            Assert.Equal(Sampling.Sample(probabilities, seed), Sampling.Sample(probabilities, seed));
        }
    }

    [Fact]
    public void Seed_of_an_event_id_is_stable_and_salted()
    {
        ulong seed = Sampling.SeedOf("event-42");

        Assert.Equal(seed, Sampling.SeedOf("event-42"));
        Assert.NotEqual(seed, Sampling.SeedOf("event-43"));
        Assert.NotEqual(seed, Sampling.SeedOf("event-42", salt: 1));
        Assert.Equal(Sampling.SeedOf(new string('é', 2000)), Sampling.SeedOf(new string('é', 2000)));
    }

    [Fact]
    public void Seed_of_an_event_id_has_a_golden_value()
    {
        // Replays of logged decisions depend on this value never changing.
        // Checked against independent implementations of XxHash64 and splitmix64.
        Assert.Equal(2894155652401057244UL, Sampling.SeedOf("event-42"));
        Assert.Equal(0.9173664693900322, Sampling.UniformUnit(2894155652401057244UL));
        Assert.Equal(3, Sampling.Sample([0.25, 0.25, 0.25, 0.25], 2894155652401057244UL));
    }

    [Fact]
    public void Empirical_frequencies_match_the_probabilities()
    {
        double[] probabilities = [0.05, 0.15, 0.3, 0.5];
        var counts = new int[probabilities.Length];
        const int Draws = 100_000;

        for (int i = 0; i < Draws; i++)
        {
            counts[Sampling.Sample(probabilities, Sampling.SeedOf($"event-{i}"))]++;
        }

        // Pearson chi-square with 3 degrees of freedom; 16.27 is the 0.999 quantile.
        double chiSquare = probabilities
            .Select((p, i) => Math.Pow(counts[i] - (p * Draws), 2) / (p * Draws))
            .Sum();
        Assert.True(chiSquare < 16.27, $"chi-square {chiSquare:F2}, counts {string.Join(", ", counts)}");
    }

    [Fact]
    public void Consecutive_seeds_are_also_uniform()
    {
        double[] probabilities = [0.5, 0.5];
        int first = 0;
        const int Draws = 100_000;

        for (ulong seed = 0; seed < Draws; seed++)
        {
            first += Sampling.Sample(probabilities, seed) == 0 ? 1 : 0;
        }

        Assert.InRange(first, (Draws / 2) - 1000, (Draws / 2) + 1000);
    }

    [Fact]
    public void Never_picks_an_action_of_probability_zero()
    {
        double[] probabilities = [0, 0.5, 0, 0.5, 0];

        for (ulong seed = 0; seed < 20_000; seed++)
        {
            int index = Sampling.Sample(probabilities, seed * 0x9E3779B97F4A7C15UL);
            Assert.True(index is 1 or 3, $"seed {seed} drew {index}");
        }
    }

    [Fact]
    public void Extreme_draws_land_on_positive_probabilities()
    {
        // Probabilities that do not quite sum to 1 and a trailing zero: the largest draw must still land on index 1.
        double[] probabilities = [0.3, 0.7 - 1e-12, 0];
        int maxIndex = -1;

        for (ulong seed = 0; seed < 5_000; seed++)
        {
            maxIndex = Math.Max(maxIndex, Sampling.Sample(probabilities, seed));
        }

        Assert.Equal(1, maxIndex);
    }

    [Fact]
    public void All_zero_probabilities_throw()
    {
        Assert.Throws<ArgumentException>(() => Sampling.Sample([0.0, 0.0], 1));
        Assert.Throws<ArgumentException>(() => Sampling.Sample([], 1));
    }

    [Fact]
    public void Uniform_unit_stays_in_the_unit_interval()
    {
        for (ulong seed = 0; seed < 10_000; seed++)
        {
            Assert.InRange(Sampling.UniformUnit(seed), 0.0, 1.0 - double.Epsilon);
        }

        Assert.InRange(Sampling.UniformUnit(ulong.MaxValue), 0.0, 1.0 - double.Epsilon);
    }
}
