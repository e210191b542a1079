using System.Globalization;
using Loops.Constraints;
using Loops.Contracts.V1;
using Loops.Feedback;
using Loops.Grpc;
using Loops.Service.Decisions;
using Loops.Training;

namespace Loops.Service.Admin;

/// <summary>PolicyAdmin's ExplainDecision, ListRecentDecisions and GetPolicyReport: why a decision came out as it did, and what a policy costs and earns.</summary>
internal sealed class DecisionInsights(PolicyCatalog catalog, IFeedbackStore store, RecentDecisions recent)
{
    public async ValueTask<DecisionExplanation> ExplainAsync(ExplainDecisionRequest request, CancellationToken cancellationToken)
    {
        if (request.EventId.Length == 0)
        {
            throw GrpcErrors.Invalid("event_id is empty; send the event id that Decide returned.");
        }

        var decision = recent.Find(request.EventId)
            ?? await store.FindPendingDecisionAsync(request.EventId, cancellationToken).ConfigureAwait(false)
            ?? throw new GrpcException(
                StatusCode.NotFound,
                $"decision '{request.EventId}' is not known here; explanations cover pending decisions and the last {RecentDecisions.DefaultCapacity} of this replica.");
        return Explain(decision, catalog.Find(decision.Policy)?.Settings.Constraints.Objective ?? Objective.Reward);
    }

    public ValueTask<ListRecentDecisionsResponse> RecentAsync(ListRecentDecisionsRequest request)
    {
        if (request.Policy.Length == 0)
        {
            throw GrpcErrors.Invalid("policy is empty; name the policy.");
        }

        if (request.Limit < 0 || request.Limit > LatestEventIds.Capacity)
        {
            throw GrpcErrors.Invalid($"limit must be between 0 (meaning 20) and {LatestEventIds.Capacity}, got {request.Limit}.");
        }

        var state = catalog.Find(request.Policy) ?? throw GrpcErrors.PolicyNotFound(request.Policy);
        var objective = state.Settings.Constraints.Objective;
        var response = new ListRecentDecisionsResponse();
        response.Decisions.Add(recent.Latest(request.Policy, request.Limit == 0 ? 20 : request.Limit).Select(decision => Explain(decision, objective)));
        return ValueTask.FromResult(response);
    }

    public async ValueTask<PolicyReport> ReportAsync(GetPolicyReportRequest request, CancellationToken cancellationToken)
    {
        if (request.Policy.Length == 0)
        {
            throw GrpcErrors.Invalid("policy is empty; name the policy to report on.");
        }

        _ = catalog.Find(request.Policy) ?? throw GrpcErrors.PolicyNotFound(request.Policy);
        var builder = new PolicyReportBuilder(request.Policy);
        var last = store.GetStats().LastJoinedSequence;
        if (last > 0)
        {
            await foreach (var record in store.ReadJoinedAsync(0, cancellationToken).ConfigureAwait(false))
            {
                var decision = record.Event.Decision;
                if (decision is not null && decision.Policy == request.Policy && decision.TimestampUnixMs >= request.SinceUnixMs)
                {
                    builder.Add(record.Event);
                }

                if (record.Sequence >= last)
                {
                    break;
                }
            }
        }

        return builder.Build();
    }

    private static DecisionExplanation Explain(DecisionEvent decision, Objective objective)
    {
        var chosen = decision.ChosenIndex;
        var explanation = new DecisionExplanation
        {
            EventId = decision.EventId,
            Policy = decision.Policy,
            ModelVersion = decision.ModelVersion,
            TimestampUnixMs = decision.TimestampUnixMs,
            UserId = decision.UserId,
            ChosenActionId = decision.Actions[chosen].Id,
            Probability = decision.Probabilities[chosen],
            Exploratory = decision.Exploratory,
            Control = decision.Control,
            Objective = objective == Objective.NetValue ? "net_value" : "reward",
        };
        for (var i = 0; i < decision.Actions.Count; i++)
        {
            explanation.Candidates.Add(new RankedAction
            {
                ActionId = decision.Actions[i].Id,
                Probability = decision.Probabilities[i],
                Score = i < decision.Scores.Count ? decision.Scores[i] : 0,
            });
        }

        explanation.Masked.Add(decision.Masked);
        explanation.Summary = Summarise(explanation);
        return explanation;
    }

    private static string Summarise(DecisionExplanation explanation)
    {
        var how = explanation.Control
            ? "the user is in the control group, which gets the baseline action"
            : explanation.Exploratory ? "it was drawn for exploration" : "it had the best score among the allowed actions";
        var text = string.Create(
            CultureInfo.InvariantCulture,
            $"'{explanation.ChosenActionId}' was chosen with probability {explanation.Probability:0.####} by model version {explanation.ModelVersion} because {how}.");
        if (explanation.Masked.Count == 0)
        {
            return text + " No action was masked.";
        }

        var masked = explanation.Masked.Select(m => $"'{m.ActionId}' by {string.Join(", ", m.RuleIds)}");
        return text + " Masked: " + string.Join("; ", masked) + ".";
    }
}
