namespace Loops.Core.Tests;

public sealed class ExplorationTests
{
    [Fact]
    public void Epsilon_greedy_matches_the_closed_form()
    {
        double[] scores = [0.1, 0.9, 0.5, 0.2];
        bool[] allowed = [true, true, true, true];
        var probabilities = new double[4];

        Exploration.EpsilonGreedy(scores, allowed, 0.2, probabilities);

        Assert.Equal(0.05, probabilities[0], 12);
        Assert.Equal(0.85, probabilities[1], 12);
        Assert.Equal(0.05, probabilities[2], 12);
        Assert.Equal(0.05, probabilities[3], 12);
    }

    [Fact]
    public void Ties_for_the_best_score_split_the_greedy_share()
    {
        double[] scores = [1, 3, 2, 3];
        bool[] allowed = [true, true, true, true];
        var probabilities = new double[4];

        Exploration.EpsilonGreedy(scores, allowed, 0.2, probabilities);

        Assert.Equal(0.05, probabilities[0], 12);
        Assert.Equal(0.45, probabilities[1], 12);
        Assert.Equal(0.05, probabilities[2], 12);
        Assert.Equal(0.45, probabilities[3], 12);
    }

    [Fact]
    public void Disallowed_actions_get_zero_even_when_their_score_is_best()
    {
        double[] scores = [5, 1, 2];
        bool[] allowed = [false, true, true];
        var probabilities = new double[3];

        Exploration.EpsilonGreedy(scores, allowed, 0.1, probabilities);

        Assert.Equal(0, probabilities[0]);
        Assert.Equal(0.05, probabilities[1], 12);
        Assert.Equal(0.95, probabilities[2], 12);
    }

    [Fact]
    public void Zero_epsilon_is_purely_greedy_and_one_is_uniform()
    {
        double[] scores = [1, 2, 0];
        bool[] allowed = [true, true, true];
        var greedy = new double[3];
        var uniform = new double[3];

        Exploration.EpsilonGreedy(scores, allowed, 0, greedy);
        Exploration.EpsilonGreedy(scores, allowed, 1, uniform);

        Assert.Equal([0.0, 1.0, 0.0], greedy);
        Assert.All(uniform, p => Assert.Equal(1.0 / 3, p, 12));
    }

    [Fact]
    public void Nan_scores_never_win_unless_all_are_nan()
    {
        double[] someNan = [double.NaN, 1, 0];
        double[] allNan = [double.NaN, double.NaN];
        var probabilities = new double[3];
        var tied = new double[2];

        Exploration.EpsilonGreedy(someNan, [true, true, true], 0, probabilities);
        Exploration.EpsilonGreedy(allNan, [true, true], 0, tied);

        Assert.Equal([0.0, 1.0, 0.0], probabilities);
        Assert.Equal([0.5, 0.5], tied);
    }

    [Fact]
    public void No_allowed_action_throws()
    {
        var probabilities = new double[2];

        var error = Assert.Throws<ArgumentException>(
            () => Exploration.EpsilonGreedy([1.0, 2.0], [false, false], 0.1, probabilities));

        Assert.Contains("no action is allowed", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.1)]
    [InlineData(double.NaN)]
    public void Epsilon_out_of_range_throws(double epsilon)
    {
        var probabilities = new double[1];

        Assert.Throws<ArgumentOutOfRangeException>(
            () => Exploration.EpsilonGreedy([1.0], [true], epsilon, probabilities));
    }

    [Fact]
    public void Mismatched_lengths_throw()
    {
        var probabilities = new double[3];

        Assert.Throws<ArgumentException>(() => Exploration.EpsilonGreedy([1.0, 2.0], [true, true], 0.1, probabilities));
    }
}
