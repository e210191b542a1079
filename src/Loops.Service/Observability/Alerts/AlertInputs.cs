using Loops.Constraints;
using Loops.Contracts.V1;

namespace Loops.Service.Observability.Alerts;

/// <summary>What the alert rules look at for one policy.</summary>
/// <param name="Report">The policy's economics from its joined decisions, or null when none was joined yet.</param>
/// <param name="Budget">The policy's budget, if it has one.</param>
/// <param name="SpentThisPeriod">The spend of joined decisions in the budget's current period.</param>
/// <param name="LatestAudit">The newest audit record of the policy, if any.</param>
/// <param name="FeedbackStoreReachable">Whether the feedback store answers.</param>
/// <param name="NowUnixMs">The current time.</param>
internal sealed record AlertInputs(
    PolicyReport? Report,
    BudgetLimit? Budget,
    double SpentThisPeriod,
    Evaluation? LatestAudit,
    bool FeedbackStoreReachable,
    long NowUnixMs);
