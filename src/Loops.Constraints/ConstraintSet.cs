namespace Loops.Constraints;

/// <summary>
/// A policy's validated constraints, compiled once when the policy is loaded; the decision path only reads it.
/// </summary>
public sealed class ConstraintSet
{
    /// <summary>The action id that makes a rule or cap apply to every bonus (every action but the no-bonus action).</summary>
    public const string AnyBonus = "*";

    /// <summary>A policy without constraints.</summary>
    public static readonly ConstraintSet None = new([], [], null, null, string.Empty, 0, string.Empty, Objective.Reward);

    internal ConstraintSet(
        IReadOnlyList<EligibilityCheck> eligibility,
        IReadOnlyList<FrequencyLimit> frequencyCaps,
        ValueLimit? valueCap,
        BudgetLimit? budget,
        string noBonusActionId,
        double controlShare,
        string baselineActionId,
        Objective objective)
    {
        Eligibility = eligibility;
        FrequencyCaps = frequencyCaps;
        ValueCap = valueCap;
        Budget = budget;
        NoBonusActionId = noBonusActionId;
        ControlShare = controlShare;
        BaselineActionId = baselineActionId;
        Objective = objective;
    }

    internal IReadOnlyList<EligibilityCheck> Eligibility { get; }

    /// <summary>The frequency caps.</summary>
    public IReadOnlyList<FrequencyLimit> FrequencyCaps { get; }

    /// <summary>The per-user value cap, if any.</summary>
    public ValueLimit? ValueCap { get; }

    /// <summary>The global budget, if any.</summary>
    public BudgetLimit? Budget { get; }

    /// <summary>The always-eligible action that gives nothing (empty when none is declared).</summary>
    public string NoBonusActionId { get; }

    /// <summary>The share of users in the control group.</summary>
    public double ControlShare { get; }

    /// <summary>The action the control group gets.</summary>
    public string BaselineActionId { get; }

    /// <summary>What the policy maximises.</summary>
    public Objective Objective { get; }

    /// <summary>True when any rule, cap, budget, control group or a non-default objective is set.</summary>
    public bool IsActive => UsesLedger || Eligibility.Count > 0 || ControlShare > 0 || Objective != Objective.Reward;

    /// <summary>True when decisions reserve capacity in the ledger (caps or a budget are set).</summary>
    public bool UsesLedger => FrequencyCaps.Count > 0 || ValueCap is not null || Budget is not null;

    /// <summary>True when a per-user cap needs the request's user id.</summary>
    public bool NeedsUserId => FrequencyCaps.Count > 0 || ValueCap is not null;
}
