using System.Globalization;
using Loops.Constraints;
using Loops.Contracts.V1;
using Loops.Core;

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
        if (definition.Algorithm.Length == 0)
        {
            definition.Algorithm = PolicySettings.EpsilonGreedy;
        }

        if (definition.Algorithm != PolicySettings.EpsilonGreedy)
        {
            throw new InvalidPolicyException(
                $"policy.algorithm '{definition.Algorithm}' is not supported; use '{PolicySettings.EpsilonGreedy}'.");
        }

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

        if (ActionValidator.Validate(definition.Actions, "policy.actions") is { } actionError)
        {
            throw new InvalidPolicyException(actionError);
        }

        return new PolicySettings(definition, LearnerFrom(definition.Learning), CompileConstraints(definition));
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
        };
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

    private static string Format(double value) => value.ToString(CultureInfo.InvariantCulture);
}
