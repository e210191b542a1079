using System.Buffers;
using System.Globalization;
using Google.Protobuf;
using Loops.Contracts.V1;
using Loops.Core;
using Loops.Core.Policies;
using Loops.Training;

namespace Loops.Evaluation;

/// <summary>
/// A target policy given as a policy definition (the JSON of <c>models/*.policy.json</c> or
/// <c>data/policies/*.json</c>) and a model file: the same <see cref="BanditPolicy"/> the service decides with, with
/// the definition's exploration settings and every action allowed.
/// </summary>
/// <remarks>
/// The model file is a service snapshot (<c>data/models/*.model</c>), a policy written by
/// <see cref="BanditPolicy.WriteTo"/>, or a bare model written by <see cref="LinearRewardModel.WriteTo"/>.
/// Stochastic algorithms (Thompson sampling) draw with the seed of the logged event id, as the service does, or of
/// the event's round when the log has no ids.
/// </remarks>
public sealed class LinearModelPolicy : TargetPolicy
{
    private readonly BanditPolicy _policy;
    private readonly ulong _salt;

    private LinearModelPolicy(string description, BanditPolicy policy, ulong salt)
    {
        Description = description;
        _policy = policy;
        _salt = salt;
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

        var policy = await ReadModelAsync(modelPath, cancellationToken).ConfigureAwait(false);
        policy.Exploration = settings.Exploration;
        return new LinearModelPolicy(
            $"{settings.Name} ({BanditAlgorithms.NameOf(policy.Algorithm)}, ε = {settings.Epsilon}, {Path.GetFileName(modelPath)})",
            policy,
            settings.SamplingSalt);
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
            allowed.AsSpan(0, count).Fill(true);
            var seed = Sampling.SeedOf(loggedEvent.EventId ?? loggedEvent.Round.ToString(CultureInfo.InvariantCulture), _salt);
            using (var features = DecisionFeatures.Encode(loggedEvent.Context, loggedEvent.Actions))
            {
                _policy.Decide(features, allowed.AsSpan(0, count), seed, scores, probabilities);
            }

            return true;
        }
        finally
        {
            ArrayPool<double>.Shared.Return(rented);
            ArrayPool<bool>.Shared.Return(allowed);
        }
    }

    private static async Task<BanditPolicy> ReadModelAsync(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            throw new EvaluationInputException($"{path} does not exist.");
        }

        try
        {
            var snapshot = await ModelFile.ReadAsync(path, cancellationToken).ConfigureAwait(false);
            return snapshot!.Value.Policy;
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
                return BanditPolicy.ReadFrom(stream);
            }
        }
        catch (InvalidDataException exception)
        {
            throw new EvaluationInputException($"{path} is neither a Loops model snapshot nor a bare model: {exception.Message}", exception);
        }
    }
}
