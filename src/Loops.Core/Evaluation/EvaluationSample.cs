namespace Loops.Core.Evaluation;

/// <summary>
/// One logged decision as the off-policy estimators see it: what the logger did, what the target policy would have
/// done, the observed reward and (for the model-based estimators) the reward model's predictions.
/// </summary>
/// <remarks>
/// Notation used across <see cref="Loops.Core.Evaluation"/>: for event i with context x_i, logged action a_i and
/// reward r_i, μ is the logging policy, π the target policy, w_i = π(a_i|x_i) / μ(a_i|x_i) the importance weight,
/// q̂(x, a) the reward model and v̂(x_i) = Σ_a π(a|x_i) q̂(x_i, a) the model's value of the target in that context.
/// </remarks>
/// <param name="LoggingProbability">μ(a_i|x_i): the probability with which the logger chose the logged action; in (0, 1].</param>
/// <param name="TargetProbability">π(a_i|x_i): the target policy's probability of the logged action; in [0, 1].</param>
/// <param name="Reward">r_i: the observed reward.</param>
/// <param name="PredictedReward">q̂(x_i, a_i): the reward model's prediction for the logged action (0 without a model).</param>
/// <param name="TargetPredictedReward">v̂(x_i) = Σ_a π(a|x_i) q̂(x_i, a) (0 without a model).</param>
/// <param name="LowSupportTargetMass">
/// Σ_a π(a|x_i) · 1[μ(a|x_i) &lt; threshold]: the target's mass on actions the logger (almost) never plays, when the
/// logger's full distribution is known; <see cref="double.NaN"/> when it is not.
/// </param>
public readonly record struct EvaluationSample(
    double LoggingProbability,
    double TargetProbability,
    double Reward,
    double PredictedReward = 0,
    double TargetPredictedReward = 0,
    double LowSupportTargetMass = double.NaN)
{
    /// <summary>w_i = π(a_i|x_i) / μ(a_i|x_i).</summary>
    public double ImportanceWeight => TargetProbability / LoggingProbability;

    /// <summary>
    /// Builds a sample from full distributions over the decision's actions. Allocation-free.
    /// </summary>
    /// <param name="loggedAction">The index of the logged action a_i.</param>
    /// <param name="loggingProbability">μ(a_i|x_i) as logged.</param>
    /// <param name="reward">The observed reward.</param>
    /// <param name="target">π(·|x_i), one entry per action.</param>
    /// <param name="predicted">q̂(x_i, ·), one entry per action; empty when there is no reward model.</param>
    /// <param name="logging">μ(·|x_i), one entry per action; empty when the logger's distribution is unknown.</param>
    /// <param name="supportThreshold">Logged probabilities below this count as no support (see <see cref="WeightDiagnostics"/>).</param>
    /// <returns>The sample.</returns>
    /// <exception cref="ArgumentException">The spans' lengths do not match or the logged action is out of range.</exception>
    public static EvaluationSample FromDistributions(
        int loggedAction,
        double loggingProbability,
        double reward,
        ReadOnlySpan<double> target,
        ReadOnlySpan<double> predicted,
        ReadOnlySpan<double> logging,
        double supportThreshold = WeightDiagnostics.DefaultSupportThreshold)
    {
        if ((uint)loggedAction >= (uint)target.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(loggedAction), loggedAction, $"must index one of the {target.Length} actions");
        }

        if (!predicted.IsEmpty && predicted.Length != target.Length)
        {
            throw new ArgumentException($"predicted has {predicted.Length} entries for {target.Length} actions", nameof(predicted));
        }

        if (!logging.IsEmpty && logging.Length != target.Length)
        {
            throw new ArgumentException($"logging has {logging.Length} entries for {target.Length} actions", nameof(logging));
        }

        double targetValue = 0;
        if (!predicted.IsEmpty)
        {
            for (int a = 0; a < target.Length; a++)
            {
                targetValue += target[a] * predicted[a];
            }
        }

        double lowSupportMass = double.NaN;
        if (!logging.IsEmpty)
        {
            lowSupportMass = 0;
            for (int a = 0; a < target.Length; a++)
            {
                if (logging[a] < supportThreshold)
                {
                    lowSupportMass += target[a];
                }
            }
        }

        return new EvaluationSample(
            loggingProbability,
            target[loggedAction],
            reward,
            predicted.IsEmpty ? 0 : predicted[loggedAction],
            targetValue,
            lowSupportMass);
    }
}
