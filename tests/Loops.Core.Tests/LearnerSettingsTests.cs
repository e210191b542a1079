namespace Loops.Core.Tests;

public sealed class LearnerSettingsTests
{
    [Fact]
    public void Defaults_are_valid_and_documented_values()
    {
        var settings = new LearnerSettings();

        settings.Validate();
        Assert.Equal(0.1, settings.LearningRate);
        Assert.Equal(18, settings.Bits);
        Assert.Equal(100, settings.MaxImportanceWeight);
        Assert.Equal(0, settings.L2);
        Assert.True(settings.Interactions);
        Assert.Equal(1 << 18, settings.WeightCount);
    }

    [Theory]
    [InlineData(30, "learning.bits must be between 10 and 24, got 30")]
    [InlineData(9, "learning.bits must be between 10 and 24, got 9")]
    public void Bits_out_of_range_are_named(int bits, string message)
    {
        var error = Assert.Throws<ArgumentException>(() => new LearnerSettings { Bits = bits }.Validate());

        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Every_setting_is_named_when_invalid()
    {
        AssertInvalid(new LearnerSettings { LearningRate = 0 }, "learning.learning_rate must be a positive finite number, got 0");
        AssertInvalid(new LearnerSettings { LearningRate = double.PositiveInfinity }, "learning.learning_rate");
        AssertInvalid(new LearnerSettings { MaxImportanceWeight = 0.5 }, "learning.max_importance_weight must be at least 1, got 0.5");
        AssertInvalid(new LearnerSettings { L2 = -1 }, "learning.l2 must be a finite number of at least 0, got -1");
        AssertInvalid(new LearnerSettings { L2 = 20 }, "learning.l2 times learning.learning_rate must be below 1, got 2");
    }

    [Fact]
    public void An_invalid_model_cannot_be_created()
    {
        Assert.Throws<ArgumentException>(() => new LinearRewardModel(new LearnerSettings { Bits = 25 }));
    }

    private static void AssertInvalid(LearnerSettings settings, string expectedStart)
    {
        var error = Assert.Throws<ArgumentException>(settings.Validate);
        Assert.StartsWith(expectedStart, error.Message, StringComparison.Ordinal);
    }
}
