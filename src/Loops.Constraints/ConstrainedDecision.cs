using Google.Protobuf.Collections;
using Loops.Constraints.Ledgers;
using Loops.Contracts.V1;

namespace Loops.Constraints;

/// <summary>
/// The constraint step of one decision, between scoring and exploration. It masks the actions the policy may not
/// give (eligibility rules, then caps and budget as the ledger stands), puts control-group users on the baseline
/// action, and after sampling reserves the chosen action's charges atomically. When a reservation loses a race to
/// another decision, the action is masked too and the caller explores again over what is left, so the logged
/// probability is always that of the distribution the action was finally drawn from.
/// </summary>
public sealed class ConstrainedDecision
{
    /// <summary>The rule id that masks the other actions of a control-group decision.</summary>
    public const string ControlGroupRule = "control_group";

    private readonly ConstraintSet _set;
    private readonly string _eventId;
    private readonly RepeatedField<Feature> _context;
    private readonly IReadOnlyList<Contracts.V1.Action> _actions;
    private readonly long _nowUnixMs;
    private readonly Charge[][] _charges;
    private readonly MaskedAction?[] _masked;
    private readonly int _noBonusIndex;

    /// <summary>Prepares the step for one request.</summary>
    public ConstrainedDecision(
        ConstraintSet set, string policy, ulong policySalt, string userId, string eventId, RepeatedField<Feature> context,
        IReadOnlyList<Contracts.V1.Action> actions, long nowUnixMs)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(actions);
        _set = set;
        _eventId = eventId;
        _context = context;
        _actions = actions;
        _nowUnixMs = nowUnixMs;
        _charges = new Charge[actions.Count][];
        _masked = new MaskedAction?[actions.Count];
        _noBonusIndex = -1;
        for (var i = 0; i < actions.Count; i++)
        {
            _charges[i] = ChargePlanner.Plan(set, policy, userId, actions[i].Id, actions[i].Cost, nowUnixMs);
            if (set.NoBonusActionId.Length > 0 && actions[i].Id == set.NoBonusActionId)
            {
                _noBonusIndex = i;
            }
        }

        IsControl = ControlGroup.Contains(policySalt, userId, set.ControlShare);
    }

    /// <summary>True when the user is in the control group and got the baseline (or, failing it, the no-bonus action).</summary>
    public bool IsControl { get; private set; }

    /// <summary>The cost reserved for the chosen action (0 until a reservation succeeded).</summary>
    public double ReservedCost { get; private set; }

    /// <summary>Returns an error for a request the constraints cannot serve, or null.</summary>
    public static string? Validate(ConstraintSet set, string userId)
    {
        ArgumentNullException.ThrowIfNull(set);
        return set.NeedsUserId && string.IsNullOrEmpty(userId)
            ? "user_id is empty, but the policy has per-user caps; send the user's id."
            : null;
    }

    /// <summary>Masks what the policy may not give now; returns the number of actions left.</summary>
    public async ValueTask<int> MaskAsync(IConstraintLedger ledger, bool[] allowed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(allowed);
        ApplyEligibility(allowed);
        if (_set.UsesLedger)
        {
            await ApplyLedgerAsync(ledger, allowed, cancellationToken).ConfigureAwait(false);
        }

        if (IsControl)
        {
            ApplyControl(allowed);
        }

        return CountAllowed(allowed);
    }

    /// <summary>
    /// Reserves the chosen action's charges. False when one no longer fits: the action is then masked (and a
    /// control-group decision falls back to the no-bonus action); explore again over what is left.
    /// </summary>
    public async ValueTask<bool> TryReserveAsync(IConstraintLedger ledger, int chosen, bool[] allowed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(allowed);
        var charges = _charges[chosen];
        if (charges.Length > 0)
        {
            var misfit = await ledger.TryReserveAsync(_eventId, charges, _nowUnixMs, cancellationToken).ConfigureAwait(false);
            if (misfit >= 0)
            {
                Mask(allowed, chosen, charges[misfit].RuleId);
                if (IsControl && _noBonusIndex >= 0 && _noBonusIndex != chosen)
                {
                    allowed[_noBonusIndex] = true;
                    _masked[_noBonusIndex] = null;
                }

                return false;
            }
        }

        ReservedCost = _actions[chosen].Cost;
        return true;
    }

    /// <summary>Adds the masked actions with their rules to a decision record.</summary>
    public void CopyMaskedTo(RepeatedField<MaskedAction> masked)
    {
        ArgumentNullException.ThrowIfNull(masked);
        foreach (var entry in _masked)
        {
            if (entry is not null)
            {
                masked.Add(entry);
            }
        }
    }

    private void ApplyEligibility(bool[] allowed)
    {
        foreach (var rule in _set.Eligibility)
        {
            for (var i = 0; i < _actions.Count; i++)
            {
                if ((allowed[i] || _masked[i] is not null) && rule.AppliesTo(_actions[i].Id, _set.NoBonusActionId) && !rule.Holds(_context))
                {
                    Mask(allowed, i, rule.RuleId);
                }
            }
        }
    }

    private async ValueTask ApplyLedgerAsync(IConstraintLedger ledger, bool[] allowed, CancellationToken cancellationToken)
    {
        var pending = new List<Charge>();
        var owners = new List<int>();
        for (var i = 0; i < _actions.Count; i++)
        {
            if (allowed[i])
            {
                foreach (var charge in _charges[i])
                {
                    pending.Add(charge);
                    owners.Add(i);
                }
            }
        }

        if (pending.Count == 0)
        {
            return;
        }

        var fits = new bool[pending.Count];
        await ledger.CheckAsync(pending, _nowUnixMs, fits, cancellationToken).ConfigureAwait(false);
        for (var j = 0; j < fits.Length; j++)
        {
            if (!fits[j])
            {
                Mask(allowed, owners[j], pending[j].RuleId);
            }
        }
    }

    private void ApplyControl(bool[] allowed)
    {
        var baseline = -1;
        for (var i = 0; i < _actions.Count; i++)
        {
            if (allowed[i] && _actions[i].Id == _set.BaselineActionId)
            {
                baseline = i;
            }
        }

        var keep = baseline >= 0 ? baseline : (_noBonusIndex >= 0 && allowed[_noBonusIndex] ? _noBonusIndex : -1);
        if (keep < 0)
        {
            // Neither the baseline nor the no-bonus action can be given: the user is served as treatment this time.
            IsControl = false;
            return;
        }

        for (var i = 0; i < _actions.Count; i++)
        {
            if (i != keep && allowed[i])
            {
                Mask(allowed, i, ControlGroupRule);
            }
        }
    }

    private void Mask(bool[] allowed, int index, string ruleId)
    {
        allowed[index] = false;
        var entry = _masked[index] ??= new MaskedAction { ActionId = _actions[index].Id };
        if (!entry.RuleIds.Contains(ruleId))
        {
            entry.RuleIds.Add(ruleId);
        }
    }

    private int CountAllowed(bool[] allowed)
    {
        var count = 0;
        for (var i = 0; i < _actions.Count; i++)
        {
            count += allowed[i] ? 1 : 0;
        }

        return count;
    }
}
