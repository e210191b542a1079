using FsCheck.Xunit;
using Google.Protobuf;
using Loops.Contracts;
using Loops.Contracts.V1;
using static Loops.Core.Tests.DecideRequestDecoderTests;

namespace Loops.Core.Tests;

/// <summary>The joined-event decoder gives exactly what the generated parser gives, errors included.</summary>
public sealed class JoinedEventDecoderTests
{
    [Property(MaxTest = 300)]
    public bool Decodes_what_the_generated_parser_decodes(int seed)
    {
        var joined = Build(new Random(seed));
        var bytes = joined.ToByteArray();
        var decision = joined.Decision?.ToByteArray() ?? [];
        return JoinedEvent.Parser.ParseFrom(bytes).Equals(JoinedEventDecoder.Decode(bytes))
            && DecisionEvent.Parser.ParseFrom(decision).Equals(JoinedEventDecoder.DecodeDecision(decision));
    }

    [Property(MaxTest = 500)]
    public bool Damaged_bytes_get_the_generated_parsers_result_or_error(int seed, ushort position, byte value, bool truncate) =>
        AgreeOnDamagedBytes(
            Build(new Random(seed)).ToByteArray(),
            position,
            value,
            truncate,
            bytes => JoinedEvent.Parser.ParseFrom(bytes),
            bytes => JoinedEventDecoder.Decode(bytes));

    [Fact]
    public void Unpacked_doubles_unknown_fields_and_a_decision_given_twice_are_left_to_the_generated_parser()
    {
        var joined = Build(new Random(3));
        var decision = joined.Decision.ToByteArray();
        var cases = new[]
        {
            // probabilities (8) as one unpacked double; an unknown varint field 100; the decision field twice.
            decision.Concat(new byte[] { 0x41, 0, 0, 0, 0, 0, 0, 0xF0, 0x3F }).ToArray(),
            decision.Concat(new byte[] { 0xA0, 0x06, 0x2A }).ToArray(),
        };
        foreach (var bytes in cases)
        {
            Assert.Equal(DecisionEvent.Parser.ParseFrom(bytes), JoinedEventDecoder.DecodeDecision(bytes));
        }

        var twice = joined.ToByteArray().Concat(new JoinedEvent { Decision = new DecisionEvent { UserId = "again" } }.ToByteArray()).ToArray();
        Assert.Equal(JoinedEvent.Parser.ParseFrom(twice), JoinedEventDecoder.Decode(twice));
    }

    private static JoinedEvent Build(Random random)
    {
        var request = DecideRequestDecoderTests.Build(random);
        var decision = new DecisionEvent
        {
            EventId = request.EventId,
            Policy = request.Policy,
            ModelVersion = random.Next(3) - 1,
            TimestampUnixMs = random.NextInt64(),
            UserId = request.UserId,
            ChosenIndex = random.Next(3) - 1,
            Exploratory = random.Next(2) == 0,
            JoinDeadlineUnixMs = random.NextInt64(),
            DefaultReward = Number(random),
            Control = random.Next(2) == 0,
            ChosenCost = Number(random),
            RewardAggregation = (RewardAggregation)random.Next(4),
        };
        decision.Context.Add(request.Context);
        decision.Actions.Add(request.Actions);
        foreach (var _ in request.Actions)
        {
            decision.Probabilities.Add(Number(random));
            decision.Scores.Add(Number(random));
        }

        for (var i = random.Next(3); i > 0; i--)
        {
            decision.Masked.Add(new MaskedAction { ActionId = Pick(random), RuleIds = { Pick(random), Pick(random) } });
        }

        return new JoinedEvent
        {
            Decision = random.Next(10) == 0 ? null : decision,
            Reward = Number(random),
            IsDefaultReward = random.Next(2) == 0,
            RewardCount = random.Next(3) - 1,
            JoinedAtUnixMs = random.NextInt64(),
        };
    }
}
