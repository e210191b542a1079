using Google.Protobuf;
using Loops.Contracts;
using Loops.Contracts.V1;
using Action = Loops.Contracts.V1.Action;

namespace Loops.Service.Tests;

public sealed class DecideAnswerTests
{
    [Fact]
    public void An_answer_written_from_a_decision_has_the_bytes_of_the_response_made_from_it()
    {
        var random = new Random(20261203);
        for (var round = 0; round < 2_000; round++)
        {
            var decision = RandomDecision(random);

            var expected = DecisionResponses.Of(decision).ToByteArray();
            var answer = DecideAnswer.Of(decision);

            Assert.Equal(expected.Length, answer.CalculateSize());
            Assert.Equal(expected, answer.ToByteArray());
        }
    }

    [Fact]
    public void A_retrys_original_response_is_sent_as_it_is()
    {
        var original = DecisionResponses.Of(RandomDecision(new Random(7)));

        var answer = DecideAnswer.Of(original);

        Assert.Equal(original.ToByteArray(), answer.ToByteArray());
        Assert.Same(original, answer.ToResponse());
    }

    [Fact]
    public void Answers_parse_back_and_compare_as_the_responses_they_encode()
    {
        var decision = RandomDecision(new Random(11));

        var parsed = DecideAnswer.Parser.ParseFrom(DecideAnswer.Of(decision).ToByteArray());

        // Compared with the response as it parses (a negative zero is not sent, so it parses as zero).
        Assert.Equal(DecideResponse.Parser.ParseFrom(DecisionResponses.Of(decision).ToByteArray()), parsed.ToResponse());
        Assert.Equal(parsed.Clone(), parsed);
        Assert.Equal(parsed.Clone().GetHashCode(), parsed.GetHashCode());
    }

    [Fact]
    public void A_decision_whose_choice_is_not_among_its_actions_is_refused_with_the_event_id()
    {
        var decision = new DecisionEvent { EventId = "e9", ChosenIndex = 3, Actions = { new Action { Id = "a" } }, Probabilities = { 1 } };

        var error = Assert.Throws<ArgumentException>(() => DecideAnswer.Of(decision));

        Assert.Contains("e9", error.Message, StringComparison.Ordinal);
    }

    // Edge values the encoding must treat as the generated code does: empty strings, zeros (negative zero too) left
    // out, ties, decisions without scores, non-ASCII ids and more candidates than fit the stack.
    private static DecisionEvent RandomDecision(Random random)
    {
        var count = random.Next(8) == 0 ? random.Next(129, 200) : random.Next(1, 12);
        var decision = new DecisionEvent
        {
            EventId = random.Next(10) == 0 ? "" : $"event-{random.Next()}",
            ModelVersion = random.Next(4) switch { 0 => 0, 1 => -random.Next(), 2 => long.MaxValue - random.Next(), _ => random.Next() },
            ChosenIndex = random.Next(count),
            Exploratory = random.Next(2) == 0,
            Control = random.Next(3) == 0,
        };
        string[] names = ["", "bonus", "frée-spins", "🎁", "x"];
        var withScores = random.Next(5) != 0;
        for (var i = 0; i < count; i++)
        {
            decision.Actions.Add(new Action { Id = random.Next(6) == 0 ? names[random.Next(names.Length)] : $"a{i}" });
            decision.Probabilities.Add(Value(random));
            if (withScores)
            {
                decision.Scores.Add(Value(random));
            }
        }

        return decision;
    }

    private static double Value(Random random) => random.Next(6) switch
    {
        0 => 0.0,
        1 => -0.0,
        2 => 0.25,
        3 => double.Epsilon,
        _ => random.NextDouble() * (random.Next(2) == 0 ? 1 : -1e6),
    };
}
