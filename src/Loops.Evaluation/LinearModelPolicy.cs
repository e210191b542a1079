using System.Buffers;
using Google.Protobuf;
using Loops.Contracts.V1;
using Loops.Core;
using Loops.Training;

namespace Loops.Evaluation;

/// <summary>
/// A target policy given as a policy definition (the JSON of <c>models/*.policy.json</c> or
/// <c>data/policies/*.json</c>) and a model file: the policy's decision rule today, a <see cref="LinearRewardModel"/>
/// scoring every action and <see cref="Exploration.EpsilonGreedy"/> with the policy's ε, every action allowed.
/// </summary>
/// <remarks>
/// This is the one place that knows how a policy turns a model into probabilities; when policies gain other
/// algorithms it is the adapter to replace. The model file is a service snapshot (<c>data/models/*.model</c>) or a
/// bare model as written by <see cref="LinearRewardModel.WriteTo"/>.
/// </remarks>
public sealed class LinearModelPolicy : TargetPolicy
{
    private readonly LinearRewardModel _model;
    private readonly double _epsilon;

    private LinearModelPolicy(string description, LinearRewardModel model, double epsilon)
    {
        Description = description;
        _model = model;
        _epsilon = epsilon;
    }

    /// <inheritdoc />
    public override string Description { get; }

    /// <summary>Reads a policy definition and its model.</summary>
    /// <param name="policyPath">The policy's JSON definition.</param>
    /// <param name="modelPath">The model file; required.</param>
    /// <param name="cancellationToken">Stops the read.</param>
    /// <returns>The policy.</returns>
    /// <exception cref="EvaluationInputException">A file is missing or invalid.</exception>
    public static async Task<LinearModelPolicy> LoadAsync(string policyPath, string? modelPath, CancellationToken cancellationToken)
    {
        if (!File.Exists(policyPath))
        {
            throw new EvaluationInputException($"{policyPath} does not exist.");
        }

        if (string.IsNullOrEmpty(modelPath))
        {
            throw new EvaluationInputException($"a policy definition ({policyPath}) needs its model: pass --model <file>.");
        }

        PolicySettings settings;
        try
        {
            var text = await File.ReadAllTextAsync(policyPath, cancellationToken).ConfigureAwait(false);
            settings = PolicyValidator.Validate(Policy.Parser.ParseJson(text));
        }
        catch (Exception exception) when (exception is InvalidProtocolBufferException or InvalidJsonException or InvalidPolicyException)
        {
            throw new EvaluationInputException($"{policyPath} is not a valid policy definition: {exception.Message}", exception);
        }

        var model = await ReadModelAsync(modelPath, cancellationToken).ConfigureAwait(false);
        return new LinearModelPolicy($"{settings.Name} (ε = {settings.Epsilon}, {Path.GetFileName(modelPath)})", model, settings.Epsilon);
    }

    /// <inheritdoc />
    public override bool TryGetDistribution(LoggedEvent loggedEvent, Span<double> probabilities)
    {
        ArgumentNullException.ThrowIfNull(loggedEvent);
        int count = probabilities.Length;
        var rented = ArrayPool<double>.Shared.Rent(count);
        var allowed = ArrayPool<bool>.Shared.Rent(count);
        try
        {
            var scores = rented.AsSpan(0, count);
            using (var features = DecisionFeatures.Encode(loggedEvent.Context, loggedEvent.Actions))
            {
                _model.Predict(features, scores);
            }

            allowed.AsSpan(0, count).Fill(true);
            Exploration.EpsilonGreedy(scores, allowed.AsSpan(0, count), _epsilon, probabilities);
            return true;
        }
        finally
        {
            ArrayPool<double>.Shared.Return(rented);
            ArrayPool<bool>.Shared.Return(allowed);
        }
    }

    private static async Task<LinearRewardModel> ReadModelAsync(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            throw new EvaluationInputException($"{path} does not exist.");
        }

        try
        {
            var snapshot = await ModelFile.ReadAsync(path, cancellationToken).ConfigureAwait(false);
            return snapshot!.Value.Model;
        }
        catch (InvalidDataException)
        {
            // Not a service snapshot: it may be a bare model.
        }

        try
        {
            var stream = File.OpenRead(path);
            await using (stream.ConfigureAwait(false))
            {
                return LinearRewardModel.ReadFrom(stream);
            }
        }
        catch (InvalidDataException exception)
        {
            throw new EvaluationInputException($"{path} is neither a Loops model snapshot nor a bare model: {exception.Message}", exception);
        }
    }
}
