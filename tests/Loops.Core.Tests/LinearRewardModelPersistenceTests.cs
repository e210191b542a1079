using Loops.Contracts.V1;
using static Loops.Core.Tests.Decisions;
using Action = Loops.Contracts.V1.Action;

namespace Loops.Core.Tests;

public sealed class LinearRewardModelPersistenceTests
{
    [Fact]
    public void A_read_model_predicts_exactly_like_the_written_one_and_keeps_learning_alike()
    {
        var (model, context, actions) = TrainedModel();

        var copy = RoundTrip(model);

        Assert.Equal(model.Settings, copy.Settings);
        Assert.Equal(model.Updates, copy.Updates);
        Assert.Equal(model.RewardScale, copy.RewardScale);
        Assert.Equal(Bandit.Scores(model, context, actions), Bandit.Scores(copy, context, actions));

        // The learning state (accumulators, normalisers, reward scale) survives too: both learn the same step.
        using (var features = DecisionFeatures.Encode(context, actions))
        {
            model.Learn(features, 3, 40, 0.25);
            copy.Learn(features, 3, 40, 0.25);
        }

        Assert.Equal(Bandit.Scores(model, context, actions), Bandit.Scores(copy, context, actions));
    }

    [Fact]
    public void An_untrained_model_round_trips()
    {
        var model = new LinearRewardModel(new LearnerSettings { Bits = 10, Interactions = false, L2 = 0.01, LearningRate = 0.3 });

        var copy = RoundTrip(model);

        Assert.Equal(model.Settings, copy.Settings);
        Assert.Equal(0, copy.Updates);
    }

    [Fact]
    public void A_truncated_stream_throws_invalid_data()
    {
        var bytes = Serialize(TrainedModel().Model);

        foreach (int length in new[] { 0, 4, 8, 20, 76, 77, 100, bytes.Length / 2, bytes.Length - 8, bytes.Length - 1 })
        {
            using var truncated = new MemoryStream(bytes, 0, length);
            Assert.Throws<InvalidDataException>(() => LinearRewardModel.ReadFrom(truncated));
        }
    }

    [Fact]
    public void A_corrupt_stream_throws_invalid_data()
    {
        var bytes = Serialize(TrainedModel().Model);

        foreach (int position in new[] { 0, 9, 21, 45, 80, bytes.Length / 2, bytes.Length - 1 })
        {
            var corrupt = (byte[])bytes.Clone();
            corrupt[position] ^= 0x5A;
            using var stream = new MemoryStream(corrupt);
            Assert.Throws<InvalidDataException>(() => LinearRewardModel.ReadFrom(stream));
        }
    }

    [Fact]
    public void The_stream_starts_with_the_magic_and_the_format_version()
    {
        var bytes = Serialize(new LinearRewardModel(new LearnerSettings { Bits = 10 }));

        Assert.Equal("LOOPSLRM"u8.ToArray(), bytes[..8]);
        Assert.Equal(1, BitConverter.ToInt32(bytes, 8));
    }

    [Fact]
    public void Only_used_weights_are_written()
    {
        var model = new LinearRewardModel(new LearnerSettings { Bits = 24 });
        using (var features = DecisionFeatures.Encode([Number("user", "age", 3)], Actions(2)))
        {
            model.Learn(features, 0, 1, 0.5);
        }

        Assert.True(Serialize(model).Length < 1024);
    }

    private static (LinearRewardModel Model, Feature[] Context, Action[] Actions) TrainedModel()
    {
        var model = new LinearRewardModel(new LearnerSettings { Bits = 14 });
        var random = new Random(11);
        var (context, actions) = Large(random);
        for (int round = 0; round < 300; round++)
        {
            Bandit.Round(model, context, actions, 0.3, random, chosen => chosen * random.NextDouble() * 10);
        }

        return (model, context, actions);
    }

    private static byte[] Serialize(LinearRewardModel model)
    {
        using var stream = new MemoryStream();
        model.WriteTo(stream);
        return stream.ToArray();
    }

    private static LinearRewardModel RoundTrip(LinearRewardModel model)
    {
        using var stream = new MemoryStream(Serialize(model));
        var copy = LinearRewardModel.ReadFrom(stream);
        Assert.Equal(stream.Length, stream.Position);
        return copy;
    }
}
