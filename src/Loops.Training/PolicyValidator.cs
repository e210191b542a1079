using System.Globalization;
using Loops.Constraints;
using Loops.Contracts.V1;
using Loops.Core;
using Loops.Core.Policies;

namespace Loops.Training;

/// <summary>Checks a policy definition and fills in its defaults; every error names the field to fix.</summary>
public static class PolicyValidator
{
    private const int MaxNameLength = 128;

    /// <summary>Validates a definition and returns the settings it stands for.</summary>
    /// <exception cref="InvalidPolicyException">A field is missing or out of range.</exception>
    public static PolicySettings Validate(Policy? policy)
    {
        if (policy is null)
        {
            throw new InvalidPolicyException("policy is required.");
        }

        ValidateName(policy.Name);
        var definition = policy.Clone();
        definition.ModelVersion = 0;
        definition.EventsLearned = 0;
        definition.ProgressiveLoss = 0;
        definition.ProgressiveReward = 0;
        definition.ModelBytes = 0;
        if (!BanditAlgorithms.TryParse(definition.Algorithm, out var algorithm))
        {
            throw new InvalidPolicyException(
                $"policy.algorithm '{definition.Algorithm}' is not supported; use one of {string.Join(", ", BanditAlgorithms.All.Select(name => $"'{name}'"))}.");
        }

        definition.Algorithm = BanditAlgorithms.NameOf(algorithm);

        if (!double.IsFinite(definition.Epsilon) || definition.Epsilon is < 0 or > 1)
        {
            throw new InvalidPolicyException(
                $"policy.epsilon must be between 0 and 1, got {Format(definition.Epsilon)}.");
        }

        var window = definition.RewardWindowSeconds;
        if (!double.IsFinite(window) || window < 0 || window > PolicySettings.MaxRewardWindow.TotalSeconds)
        {
            throw new InvalidPolicyException(
                $"policy.reward_window_seconds must be between 0 (default {PolicySettings.DefaultRewardWindow.TotalSeconds} s) and {PolicySettings.MaxRewardWindow.TotalSeconds}, got {Format(window)}.");
        }

        if (!double.IsFinite(definition.DefaultReward))
        {
            throw new InvalidPolicyException($"policy.default_reward must be a finite number, got {Format(definition.DefaultReward)}.");
        }

        definition.RewardAggregation = definition.RewardAggregation switch
        {
            "" or "sum" => "sum",
            "first" or "last" => definition.RewardAggregation,
            var other => throw new InvalidPolicyException(
                $"policy.reward_aggregation '{other}' is not supported; use 'sum' (the default), 'first' or 'last'."),
        };

        if (!double.IsFinite(definition.ModelUpdateSeconds) || definition.ModelUpdateSeconds is < 0 or > 86400)
        {
            throw new InvalidPolicyException(
                $"policy.model_update_seconds must be between 0 (the service's snapshot interval) and 86400, got {Format(definition.ModelUpdateSeconds)}.");
        }

        if (ActionValidator.Validate(definition.Actions, "policy.actions") is { } actionError)
        {
            throw new InvalidPolicyException(actionError);
        }

        var learner = LearnerFrom(definition.Learning);
        var (model, exploration) = AlgorithmFrom(algorithm, learner, definition.Epsilon, definition.AlgorithmSettings);
        var retraining = RetrainingPlan.From(definition);
        return new PolicySettings(definition, model, exploration, CompileConstraints(definition), retraining);
    }

    private static ConstraintSet CompileConstraints(Policy definition)
    {
        try
        {
            return ConstraintCompiler.Compile(definition);
        }
        catch (ConstraintDefinitionException ex)
        {
            throw new InvalidPolicyException(ex.Message, ex);
        }
    }

    private static void ValidateName(string name)
    {
        if (string.IsNullOrEmpty(name))
        {
            throw new InvalidPolicyException("policy.name is required.");
        }

        if (name.Length > MaxNameLength || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            throw new InvalidPolicyException(
                $"policy.name '{name}' must be 1 to {MaxNameLength} letters, digits, '-', '_' or '.'.");
        }
    }

    private static LearnerSettings LearnerFrom(LearningSettings? learning)
    {
        var defaults = new LearnerSettings();
        if (learning is null)
        {
            return defaults;
        }

        var settings = defaults with
        {
            LearningRate = learning.LearningRate == 0 ? defaults.LearningRate : learning.LearningRate,
            Bits = learning.Bits == 0 ? defaults.Bits : learning.Bits,
            MaxImportanceWeight = learning.MaxImportanceWeight == 0 ? defaults.MaxImportanceWeight : learning.MaxImportanceWeight,
            L2 = learning.L2,
            Interactions = !learning.DisableInteractions,
            CbType = CbTypeFrom(learning.CbType),
            PowerT = learning.PowerT == 0 ? defaults.PowerT : learning.PowerT,
            ForgettingHalfLife = learning.ForgettingHalfLife,
        };
        if (!(learning.PowerT >= 0))
        {
            throw new InvalidPolicyException($"policy.learning.power_t must be between 0 (default {defaults.PowerT}) and 1, got {Format(learning.PowerT)}.");
        }

        try
        {
            settings.Validate();
        }
        catch (ArgumentException ex)
        {
            throw new InvalidPolicyException("policy." + ex.Message.Split(" (Parameter", 2)[0], ex);
        }

        return settings;
    }

    private static CbType CbTypeFrom(string name) => name switch
    {
        "" or "mtr" => CbType.Mtr,
        "ips" => CbType.Ips,
        "dr" => CbType.Dr,
        _ => throw new InvalidPolicyException($"policy.learning.cb_type '{name}' is not supported; use 'mtr' (the default), 'ips' or 'dr'."),
    };

    // Parameters of other algorithms are normalised to their defaults, so that they cannot make two equal models
    // look different (which would reset a model for nothing).
    private static (BanditModelSettings Model, ExplorationSettings Exploration) AlgorithmFrom(
        BanditAlgorithm algorithm, LearnerSettings learner, double epsilon, AlgorithmSettings? parameters)
    {
        parameters ??= new AlgorithmSettings();
        if (parameters.Bags < 0 || parameters.LinearBits < 0 || !(parameters.Ridge >= 0))
        {
            var (field, value) = parameters.Bags < 0 ? ("bags", Format(parameters.Bags))
                : parameters.LinearBits < 0 ? ("linear_bits", Format(parameters.LinearBits))
                : ("ridge", Format(parameters.Ridge));
            throw new InvalidPolicyException($"policy.algorithm_settings.{field} must not be negative, got {value}.");
        }
        var modelDefaults = new BanditModelSettings();
        var explorationDefaults = new ExplorationSettings();
        bool ridge = algorithm is BanditAlgorithm.LinUcb or BanditAlgorithm.Thompson;
        var model = new BanditModelSettings
        {
            Algorithm = algorithm,
            Learner = ridge ? new LearnerSettings { Interactions = learner.Interactions } : learner,
            Bags = algorithm == BanditAlgorithm.Bagging ? OrDefault(parameters.Bags, modelDefaults.Bags) : modelDefaults.Bags,
            LinearBits = ridge ? OrDefault(parameters.LinearBits, modelDefaults.LinearBits) : modelDefaults.LinearBits,
            Ridge = ridge ? OrDefault(parameters.Ridge, modelDefaults.Ridge) : modelDefaults.Ridge,
        };
        var exploration = new ExplorationSettings
        {
            Epsilon = epsilon,
            EpsilonDecay = parameters.EpsilonDecay,
            SoftmaxLambda = OrDefault(parameters.SoftmaxLambda, explorationDefaults.SoftmaxLambda),
            SquareCbGamma = OrDefault(parameters.SquarecbGamma, explorationDefaults.SquareCbGamma),
            LinUcbAlpha = OrDefault(parameters.LinucbAlpha, explorationDefaults.LinUcbAlpha),
            ThompsonScale = OrDefault(parameters.TsPosteriorScale, explorationDefaults.ThompsonScale),
        };
        if (ridge && (learner.CbType != CbType.Mtr || learner.ForgettingHalfLife != 0))
        {
            throw new InvalidPolicyException(learner.CbType != CbType.Mtr
                ? $"policy.learning.cb_type applies to the regression algorithms; {BanditAlgorithms.NameOf(algorithm)} fits a ridge regression on the chosen action."
                : $"policy.learning.forgetting_half_life is not supported by {BanditAlgorithms.NameOf(algorithm)}; use a regression algorithm for drifting populations.");
        }

        try
        {
            model.Validate();
            exploration.Validate();
        }
        catch (ArgumentException ex)
        {
            throw new InvalidPolicyException("policy." + ex.Message.Split(" (Parameter", 2)[0], ex);
        }

        return (model, exploration);
    }

    private static int OrDefault(int value, int fallback) => value == 0 ? fallback : value;

    private static double OrDefault(double value, double fallback) => value == 0 ? fallback : value;

    private static string Format(double value) => value.ToString(CultureInfo.InvariantCulture);
}
