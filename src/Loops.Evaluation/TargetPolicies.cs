namespace Loops.Evaluation;

/// <summary>Turns a target specification (as the command line takes it) into a <see cref="TargetPolicy"/>.</summary>
public static class TargetPolicies
{
    /// <summary>
    /// Resolves "uniform", "logging", a probability CSV (<see cref="ProbabilityFilePolicy"/>) or a policy JSON with
    /// its model (<see cref="LinearModelPolicy"/>).
    /// </summary>
    /// <param name="target">The specification.</param>
    /// <param name="modelPath">The model file of a policy JSON; ignored otherwise.</param>
    /// <param name="logs">The events to be evaluated (a probability file is checked against them).</param>
    /// <param name="cancellationToken">Stops the read.</param>
    /// <returns>The policy.</returns>
    /// <exception cref="EvaluationInputException">The specification is none of those, or its file is unusable.</exception>
    public static async Task<TargetPolicy> ResolveAsync(string target, string? modelPath, LoggedData logs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(logs);
        if (string.Equals(target, "uniform", StringComparison.OrdinalIgnoreCase))
        {
            return new UniformPolicy();
        }

        if (string.Equals(target, "logging", StringComparison.OrdinalIgnoreCase))
        {
            return new LoggingPolicy();
        }

        if (target.EndsWith(".csv", StringComparison.OrdinalIgnoreCase))
        {
            return await ProbabilityFilePolicy.LoadAsync(target, logs.Events, cancellationToken).ConfigureAwait(false);
        }

        if (target.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
        {
            return await LinearModelPolicy.LoadAsync(target, modelPath, cancellationToken).ConfigureAwait(false);
        }

        throw new EvaluationInputException(
            $"--target '{target}' is not understood: use uniform, logging, a probability file ending in .csv, or a policy definition ending in .json (with --model).");
    }
}
