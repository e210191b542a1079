using Loops.Contracts;
using Loops.Contracts.V1;
using Action = Loops.Contracts.V1.Action;

namespace Loops.Service.Tests;

public sealed class DecisionResponsesTests
{
    [Fact]
    public void The_response_names_the_chosen_action_and_ranks_every_candidate_most_probable_first()
    {
        var decision = Decision(probabilities: [0.1, 0.7, 0.2], scores: [0.5, 0.9, 0.4], chosen: 2);
        decision.Control = true;
        decision.Exploratory = true;

        var response = DecisionResponses.Of(decision);

        Assert.Equal("e1", response.EventId);
        Assert.Equal("c", response.ActionId);
        Assert.Equal(0.2, response.Probability);
        Assert.Equal(12, response.ModelVersion);
        Assert.True(response.Exploratory);
        Assert.True(response.Control);
        Assert.Equal(["b", "c", "a"], response.Ranking.Select(ranked => ranked.ActionId));
        Assert.Equal([0.7, 0.2, 0.1], response.Ranking.Select(ranked => ranked.Probability));
        Assert.Equal([0.9, 0.4, 0.5], response.Ranking.Select(ranked => ranked.Score));
    }

    [Fact]
    public void Equal_probabilities_rank_by_score_then_keep_the_callers_order()
    {
        var decision = Decision(probabilities: [0.25, 0.25, 0.25, 0.25], scores: [0.1, 0.3, 0.1, 0.3], chosen: 0);

        Assert.Equal(["b", "d", "a", "c"], DecisionResponses.Of(decision).Ranking.Select(ranked => ranked.ActionId));
    }

    [Fact]
    public void A_decision_logged_without_scores_ranks_by_probability()
    {
        var decision = Decision(probabilities: [0.3, 0.7], scores: [], chosen: 1);

        var response = DecisionResponses.Of(decision);

        Assert.Equal(["b", "a"], response.Ranking.Select(ranked => ranked.ActionId));
        Assert.All(response.Ranking, ranked => Assert.Equal(0, ranked.Score));
    }

    [Fact]
    public void A_chosen_index_outside_the_actions_is_refused_with_the_event_id()
    {
        var decision = Decision(probabilities: [0.5, 0.5], scores: [0, 0], chosen: 2);

        var error = Assert.Throws<ArgumentException>(() => DecisionResponses.Of(decision));

        Assert.Contains("e1", error.Message, StringComparison.Ordinal);
    }

    private static DecisionEvent Decision(double[] probabilities, double[] scores, int chosen)
    {
        var decision = new DecisionEvent { EventId = "e1", ModelVersion = 12, ChosenIndex = chosen };
        for (var i = 0; i < probabilities.Length; i++)
        {
            decision.Actions.Add(new Action { Id = ((char)('a' + i)).ToString() });
        }

        decision.Probabilities.Add(probabilities);
        decision.Scores.Add(scores);
        return decision;
    }
}
