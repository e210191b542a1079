namespace Loops.Core.Tests.Policies;

public sealed class ExplorerTests
{
    [Fact]
    public void Softmax_matches_the_closed_form()
    {
        double[] scores = [1, 2, 0.5];
        var probabilities = new double[3];

        Exploration.Softmax(scores, [true, true, true], 2, probabilities);

        double total = Math.Exp(2) + Math.Exp(4) + Math.Exp(1);
        Assert.Equal(Math.Exp(2) / total, probabilities[0], 12);
        Assert.Equal(Math.Exp(4) / total, probabilities[1], 12);
        Assert.Equal(Math.Exp(1) / total, probabilities[2], 12);
    }

    [Fact]
    public void Softmax_gives_disallowed_actions_zero_and_zero_lambda_is_uniform()
    {
        var probabilities = new double[3];

        Exploration.Softmax([9.0, 1, 2], [false, true, true], 0, probabilities);

        Assert.Equal([0.0, 0.5, 0.5], probabilities);
    }

    [Fact]
    public void SquareCb_matches_the_closed_form()
    {
        double[] scores = [1.0, 0.5, 0.0, 1.0];
        var probabilities = new double[4];

        Exploration.SquareCb(scores, [true, true, true, true], 10, probabilities);

        // K = 4, best = action 0 (first of the tie): others get 1 / (4 + 10·gap).
        Assert.Equal(1 / 9.0, probabilities[1], 12);
        Assert.Equal(1 / 14.0, probabilities[2], 12);
        Assert.Equal(1 / 4.0, probabilities[3], 12);
        Assert.Equal(1 - (1 / 9.0) - (1 / 14.0) - (1 / 4.0), probabilities[0], 12);
    }

    [Fact]
    public void SquareCb_counts_only_allowed_actions()
    {
        var probabilities = new double[3];

        Exploration.SquareCb([0.0, 1, 0.5], [true, false, true], 2, probabilities);

        Assert.Equal(0, probabilities[1]);
        Assert.Equal(1 / 3.0, probabilities[0], 12);
        Assert.Equal(2 / 3.0, probabilities[2], 12);
    }

    [Fact]
    public void Mixing_with_uniform_sets_the_floor()
    {
        double[] probabilities = [1, 0, 0, 0];

        Exploration.MixUniform([true, true, false, true], 0.3, probabilities);

        Assert.Equal(0.8, probabilities[0], 12);
        Assert.Equal(0.1, probabilities[1], 12);
        Assert.Equal(0, probabilities[2]);
        Assert.Equal(0.1, probabilities[3], 12);
    }

    [Theory]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Invalid_parameters_throw(double value)
    {
        var probabilities = new double[2];

        Assert.Throws<ArgumentOutOfRangeException>(() => Exploration.Softmax([1.0, 2], [true, true], value, probabilities));
        Assert.Throws<ArgumentOutOfRangeException>(() => Exploration.SquareCb([1.0, 2], [true, true], value, probabilities));
        Assert.Throws<ArgumentOutOfRangeException>(() => Exploration.MixUniform([true, true], value, probabilities));
        Assert.Throws<ArgumentException>(() => Exploration.SquareCb([1.0, 2], [false, false], 1, probabilities));
    }
}
