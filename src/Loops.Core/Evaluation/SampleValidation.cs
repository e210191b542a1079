using System.Globalization;

namespace Loops.Core.Evaluation;

/// <summary>Checks samples once before any estimate, so a bad propensity fails with the event's index, not as a NaN.</summary>
internal static class SampleValidation
{
    public static void Check(ReadOnlySpan<EvaluationSample> samples)
    {
        if (samples.IsEmpty)
        {
            throw new ArgumentException("there are no logged events to evaluate on", nameof(samples));
        }

        for (int i = 0; i < samples.Length; i++)
        {
            ref readonly var sample = ref samples[i];
            if (!(sample.LoggingProbability > 0 && sample.LoggingProbability <= 1))
            {
                throw Invalid(i, $"logging probability {sample.LoggingProbability} is not in (0, 1]");
            }

            if (!(sample.TargetProbability >= 0 && sample.TargetProbability <= 1))
            {
                throw Invalid(i, $"target probability {sample.TargetProbability} is not in [0, 1]");
            }

            if (!double.IsFinite(sample.Reward) || !double.IsFinite(sample.PredictedReward) || !double.IsFinite(sample.TargetPredictedReward))
            {
                throw Invalid(i, "reward or predicted reward is not a finite number");
            }
        }
    }

    private static ArgumentException Invalid(int index, string problem) =>
        new(string.Create(CultureInfo.InvariantCulture, $"samples[{index}]: {problem}"));
}
