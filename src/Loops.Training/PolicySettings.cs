using Google.Protobuf.Collections;
using Loops.Constraints;
using Loops.Contracts.V1;
using Loops.Core;
using Loops.Core.Policies;

namespace Loops.Training;

/// <summary>
/// A validated policy definition with its defaults applied, as the decision path reads it. Immutable: a change
/// of settings replaces the whole object, so a decision sees one consistent version.
/// </summary>
public sealed class PolicySettings
{
    /// <summary>The exploration algorithm used when none is named.</summary>
    public const string EpsilonGreedy = "epsilon_greedy";

    /// <summary>The reward window used when none is given.</summary>
    public static readonly TimeSpan DefaultRewardWindow = TimeSpan.FromSeconds(600);

    /// <summary>The longest reward window accepted.</summary>
    public static readonly TimeSpan MaxRewardWindow = TimeSpan.FromDays(7);

    internal PolicySettings(Policy definition, BanditModelSettings model, ExplorationSettings exploration, ConstraintSet constraints, RetrainingPlan retraining)
    {
        Retraining = retraining;
        Constraints = constraints;
        Definition = definition;
        Model = model;
        Exploration = exploration;
        RewardWindow = definition.RewardWindowSeconds == 0
            ? DefaultRewardWindow
            : TimeSpan.FromSeconds(definition.RewardWindowSeconds);
        SamplingSalt = Sampling.SeedOf(definition.Name);
        RewardAggregation = definition.RewardAggregation switch
        {
            "first" => Contracts.V1.RewardAggregation.First,
            "last" => Contracts.V1.RewardAggregation.Last,
            _ => Contracts.V1.RewardAggregation.Sum,
        };
    }

    /// <summary>The definition as stored (defaults filled in, output-only fields empty).</summary>
    public Policy Definition { get; }

    /// <summary>The policy's name.</summary>
    public string Name => Definition.Name;

    /// <summary>The exploration share.</summary>
    public double Epsilon => Definition.Epsilon;

    /// <summary>How long a decision waits for rewards.</summary>
    public TimeSpan RewardWindow { get; }

    /// <summary>The reward of a decision whose window closes without one.</summary>
    public double DefaultReward => Definition.DefaultReward;

    /// <summary>How often the learning model is stored as a new version; null for the service's default.</summary>
    public TimeSpan? ModelUpdateInterval => Definition.ModelUpdateSeconds > 0 ? TimeSpan.FromSeconds(Definition.ModelUpdateSeconds) : null;

    /// <summary>How several rewards for one decision make its reward.</summary>
    public RewardAggregation RewardAggregation { get; }

    /// <summary>The catalogue of actions used when a request names none (may be empty).</summary>
    public RepeatedField<Contracts.V1.Action> Catalogue => Definition.Actions;

    /// <summary>The learner's settings.</summary>
    public LearnerSettings Learner => Model.Learner;

    /// <summary>What the policy's learned state depends on: a change of these needs a new model.</summary>
    public BanditModelSettings Model { get; }

    /// <summary>The exploration parameters; they change without touching the model.</summary>
    public ExplorationSettings Exploration { get; }

    /// <summary>The compiled business constraints (<see cref="ConstraintSet.None"/> when the policy has none).</summary>
    public ConstraintSet Constraints { get; }

    /// <summary>The challengers and evaluation schedule (<see cref="RetrainingPlan.None"/> when the policy has none).</summary>
    public RetrainingPlan Retraining { get; }

    /// <summary>Mixed into every decision's seed so that equal event ids in two policies draw independently.</summary>
    public ulong SamplingSalt { get; }
}
