using System.Buffers;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Loops.Core;

/// <summary>
/// A linear model of the expected reward of an action in a context, over hashed features: a bias, the context
/// features, the action's features (including its id) and, when <see cref="LearnerSettings.Interactions"/> is on,
/// every context feature crossed with every action feature (Vowpal Wabbit's <c>-q</c> between context and action
/// namespaces).
/// </summary>
/// <remarks>
/// <para>
/// Learning is importance-weighted squared-loss regression on the chosen action, with Vowpal Wabbit's default update
/// (adaptive, normalised and importance-invariant): each weight has an AdaGrad accumulator and a normaliser, the
/// running maximum of the feature's magnitude, and the weight is rescaled whenever its normaliser grows. Features
/// therefore need no manual scaling: a feature measured in thousands learns like one measured in units. Rewards
/// need no scaling either: the model learns the reward divided by a reward scale (the smallest power of two at
/// least as large as every |reward| seen so far) and multiplies its predictions back; when the scale grows, every
/// weight is rescaled exactly (by a power of two), so predictions do not change.
/// </para>
/// <para>
/// Threading: <see cref="Predict"/> takes no lock and may run on any number of threads while one thread calls
/// <see cref="Learn"/>. Such races on the <see cref="float"/> weights are benign (a prediction may mix weights from
/// before and after an update, as in Vowpal Wabbit and Personalizer). <see cref="Learn"/> itself must not run on
/// two threads at once; <see cref="WriteTo"/> and <see cref="Clone"/> should not run concurrently with it either
/// (they would capture a torn, though still usable, state).
/// </para>
/// <para>Neither <see cref="Predict"/> nor <see cref="Learn"/> allocates.</para>
/// <para>
/// Numeric features up to about 1e12 in magnitude are fine; far beyond that a weight's AdaGrad accumulator can
/// overflow a <see cref="float"/>, after which that weight stops learning (the model stays finite).
/// </para>
/// </remarks>
public sealed class LinearRewardModel
{
    // Vowpal Wabbit's floor on x² (and |x|), so the normaliser and accumulator never divide by zero.
    private const float MinSquaredValue = 1.175494351e-38f;
    private const float MinValue = 1.084202172e-19f;

    // Below this step the invariant update is numerically unstable; its first-order form is exact enough.
    private const double SmallStep = 1e-6;

    // When forgetting has shrunk the accumulators' common factor below this, it is folded into the accumulators,
    // long before the stored (unscaled) values could overflow a float.
    private const double SmallestDecayScale = 1.0 / (1UL << 60);

    private readonly float[] weights;
    private readonly float[] accumulators;
    private readonly float[] normalizers;
    private readonly int mask;
    private readonly bool interactions;
    private double rewardScale;
    private double sumOfNormalizedSquares;
    private double sumOfImportanceWeights;
    private long updates;

    // Forgetting multiplies every accumulator by the same factor at each update; rather than touch them all, the
    // accumulators are stored divided by this common factor (1 without forgetting).
    private double decayScale = 1;

    /// <summary>Creates an untrained model: every prediction is 0.</summary>
    /// <param name="settings">The settings; validated.</param>
    /// <exception cref="ArgumentException">A setting is invalid.</exception>
    public LinearRewardModel(LearnerSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        Settings = settings;
        weights = new float[settings.WeightCount];
        accumulators = new float[settings.WeightCount];
        normalizers = new float[settings.WeightCount];
        mask = settings.WeightCount - 1;
        interactions = settings.Interactions;
    }

    private LinearRewardModel(LinearRewardModel source)
        : this(source.Settings, (float[])source.weights.Clone(), (float[])source.accumulators.Clone(), (float[])source.normalizers.Clone())
    {
        rewardScale = source.rewardScale;
        sumOfNormalizedSquares = source.sumOfNormalizedSquares;
        sumOfImportanceWeights = source.sumOfImportanceWeights;
        updates = source.updates;
        decayScale = source.decayScale;
    }

    private LinearRewardModel(LearnerSettings settings, float[] weights, float[] accumulators, float[] normalizers)
    {
        Settings = settings;
        this.weights = weights;
        this.accumulators = accumulators;
        this.normalizers = normalizers;
        mask = settings.WeightCount - 1;
        interactions = settings.Interactions;
    }

    /// <summary>The settings the model was created with.</summary>
    public LearnerSettings Settings { get; }

    /// <summary>The number of events learned from so far (<see cref="Learn"/> calls).</summary>
    public long Updates => Volatile.Read(ref updates);

    /// <summary>
    /// The scale the model learns rewards on: 0 until a non-zero reward is seen, then the smallest power of two at
    /// least as large as every |reward| seen.
    /// </summary>
    public double RewardScale => rewardScale;

    /// <summary>The memory the model's state takes, in bytes (three <see cref="float"/> arrays of 2^bits).</summary>
    public long StateBytes => 3L * sizeof(float) * weights.Length;

    /// <summary>Predicts the expected reward of every action of a decision. Thread-safe, lock-free, allocation-free.</summary>
    /// <param name="features">The encoded decision.</param>
    /// <param name="scores">Receives one predicted reward per action; its length must be the number of actions.</param>
    /// <exception cref="ArgumentException"><paramref name="scores"/> has the wrong length.</exception>
    public void Predict(DecisionFeatures features, Span<double> scores)
    {
        ArgumentNullException.ThrowIfNull(features);
        features.ThrowIfDisposed();
        int actionCount = features.ActionCount;
        if (scores.Length != actionCount)
        {
            throw new ArgumentException($"scores has {scores.Length} entries for {actionCount} actions", nameof(scores));
        }

        ref float w = ref MemoryMarshal.GetArrayDataReference(weights);
        int m = mask;
        double scale = rewardScale > 0 ? rewardScale : 1;

        // The bias and the context features are the same for every action: sum them once.
        var contextHashes = features.ContextHashes;
        var contextValues = features.ContextValues;
        var contextSeeds = features.ContextInteractionSeeds;
        double shared = Weight(ref w, FeatureHasher.ConstantHash, m);
        for (int c = 0; c < contextHashes.Length; c++)
        {
            shared += Weight(ref w, contextHashes[c], m) * contextValues[c];
        }

        for (int a = 0; a < actionCount; a++)
        {
            var actionHashes = features.ActionHashes(a);
            var actionValues = features.ActionValues(a);
            double score = shared;
            for (int j = 0; j < actionHashes.Length; j++)
            {
                uint actionHash = actionHashes[j];
                float own = Weight(ref w, actionHash, m);
                if (interactions)
                {
                    float crossed = 0;
                    for (int c = 0; c < contextSeeds.Length; c++)
                    {
                        crossed += Weight(ref w, contextSeeds[c] ^ actionHash, m) * contextValues[c];
                    }

                    own += crossed;
                }

                score += own * actionValues[j];
            }

            scores[a] = score * scale;
        }
    }

    /// <summary>
    /// Learns from the outcome of a decision by the settings' <see cref="LearnerSettings.CbType"/>, with the inverse
    /// probability capped at <see cref="LearnerSettings.MaxImportanceWeight"/>. By default (<see cref="CbType.Mtr"/>)
    /// that is one importance-weighted squared-loss update on the chosen action, with importance weight
    /// min(1 / <paramref name="probability"/>, <see cref="LearnerSettings.MaxImportanceWeight"/>).
    /// Allocation-free; call from one thread at a time.
    /// </summary>
    /// <param name="features">The encoded decision, as it was when the action was chosen.</param>
    /// <param name="chosenAction">The index of the chosen action.</param>
    /// <param name="reward">The observed reward, on any scale.</param>
    /// <param name="probability">The probability with which the chosen action was drawn, in (0, 1].</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range or not finite.</exception>
    public void Learn(DecisionFeatures features, int chosenAction, double reward, double probability)
    {
        ArgumentNullException.ThrowIfNull(features);
        features.ThrowIfDisposed();
        ArgumentOutOfRangeException.ThrowIfNegative(chosenAction);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(chosenAction, features.ActionCount);
        if (!double.IsFinite(reward))
        {
            throw new ArgumentOutOfRangeException(nameof(reward), reward, "reward must be a finite number");
        }

        if (!(probability > 0 && probability <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(probability), probability, "probability must be in (0, 1]");
        }

        LearnEvent(features, chosenAction, reward, probability, weight: 1);
    }

    /// <summary>
    /// Learns from one event by the settings' <see cref="CbType"/>, every update's importance multiplied by
    /// <paramref name="weight"/> (a bootstrap replicate's count). Arguments are trusted. Call from one thread at a time.
    /// </summary>
    /// <returns>The model's prediction for the chosen action before the update, on the reward's scale.</returns>
    internal double LearnEvent(DecisionFeatures features, int chosenAction, double reward, double probability, double weight)
    {
        double inverse = Math.Min(1 / probability, Settings.MaxImportanceWeight);
        double before;
        switch (Settings.CbType)
        {
            case CbType.Ips:
                before = PredictAction(features, chosenAction);
                for (int action = 0; action < features.ActionCount; action++)
                {
                    LearnTarget(features, action, action == chosenAction ? reward * inverse : 0, weight);
                }

                break;
            case CbType.Dr:
                // The other actions' targets are their own predictions: a zero gradient, so no update is needed.
                before = PredictAction(features, chosenAction);
                LearnTarget(features, chosenAction, before + ((reward - before) * inverse), weight);
                break;
            default:
                before = LearnTarget(features, chosenAction, reward, weight * inverse);
                break;
        }

        Volatile.Write(ref updates, updates + 1);
        return before;
    }

    /// <summary>
    /// Counts an event without learning from it (a bootstrap replicate that drew it 0 times), so that
    /// <see cref="Updates"/> counts the events seen.
    /// </summary>
    /// <returns>The model's prediction for the chosen action.</returns>
    internal double SkipEvent(DecisionFeatures features, int chosenAction)
    {
        double prediction = PredictAction(features, chosenAction);
        Volatile.Write(ref updates, updates + 1);
        return prediction;
    }

    /// <summary>Predicts the expected reward of one action; as <see cref="Predict"/>, without checks.</summary>
    internal double PredictAction(DecisionFeatures features, int action)
    {
        ref float w = ref MemoryMarshal.GetArrayDataReference(weights);
        int m = mask;
        var contextHashes = features.ContextHashes;
        var contextValues = features.ContextValues;
        var contextSeeds = features.ContextInteractionSeeds;
        double score = Weight(ref w, FeatureHasher.ConstantHash, m);
        for (int c = 0; c < contextHashes.Length; c++)
        {
            score += Weight(ref w, contextHashes[c], m) * contextValues[c];
        }

        var actionHashes = features.ActionHashes(action);
        var actionValues = features.ActionValues(action);
        for (int j = 0; j < actionHashes.Length; j++)
        {
            uint actionHash = actionHashes[j];
            float own = Weight(ref w, actionHash, m);
            if (interactions)
            {
                float crossed = 0;
                for (int c = 0; c < contextSeeds.Length; c++)
                {
                    crossed += Weight(ref w, contextSeeds[c] ^ actionHash, m) * contextValues[c];
                }

                own += crossed;
            }

            score += own * actionValues[j];
        }

        return score * (rewardScale > 0 ? rewardScale : 1);
    }

    // One importance-weighted squared-loss update of one action towards a target: the step every CbType is made of.
    // Returns the prediction for the action before the update, on the reward's scale.
    private double LearnTarget(DecisionFeatures features, int action, double target, double importance)
    {
        double magnitude = Math.Abs(target);
        if (magnitude > rewardScale)
        {
            GrowRewardScale(magnitude);
        }

        var contextHashes = features.ContextHashes;
        var actionHashes = features.ActionHashes(action);
        int count = 1 + contextHashes.Length + actionHashes.Length
            + (interactions ? contextHashes.Length * actionHashes.Length : 0);

        int[] indices = ArrayPool<int>.Shared.Rent(count);
        float[] values = ArrayPool<float>.Shared.Rent(count);
        float[] rates = ArrayPool<float>.Shared.Rent(count);
        double prediction;
        try
        {
            Gather(features, action, indices, values);
            double scale = rewardScale > 0 ? rewardScale : 1;
            prediction = scale * Update(indices.AsSpan(0, count), values.AsSpan(0, count), rates.AsSpan(0, count), target / scale, importance);
        }
        finally
        {
            ArrayPool<int>.Shared.Return(indices);
            ArrayPool<float>.Shared.Return(values);
            ArrayPool<float>.Shared.Return(rates);
        }

        return prediction;
    }

    /// <summary>Returns an independent copy of the model (settings, weights and learning state).</summary>
    /// <returns>The copy.</returns>
    public LinearRewardModel Clone() => new(this);

    /// <summary>
    /// Writes the model in its binary format: a magic header, the format version, the settings, the learning state
    /// and the used weights, followed by a checksum.
    /// </summary>
    /// <param name="stream">The stream to write to; left open.</param>
    public void WriteTo(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var state = new LinearRewardModelState(
            Settings, weights, accumulators, normalizers, updates, rewardScale, sumOfNormalizedSquares, sumOfImportanceWeights, decayScale);
        LinearRewardModelFormat.Write(stream, state);
    }

    /// <summary>Reads a model written by <see cref="WriteTo"/>.</summary>
    /// <param name="stream">The stream to read from; left open, positioned after the model.</param>
    /// <returns>The model.</returns>
    /// <exception cref="InvalidDataException">The stream is not a model, is of an unknown version, is corrupt or is truncated.</exception>
    public static LinearRewardModel ReadFrom(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return FromState(LinearRewardModelFormat.Read(stream));
    }

    internal static LinearRewardModel FromState(LinearRewardModelState state) =>
        new LinearRewardModel(state.Settings, state.Weights, state.Accumulators, state.Normalizers)
        {
            updates = state.Updates,
            rewardScale = state.RewardScale,
            sumOfNormalizedSquares = state.SumOfNormalizedSquares,
            sumOfImportanceWeights = state.SumOfImportanceWeights,
            decayScale = state.DecayScale,
        };

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Weight(ref float weights, uint hash, int mask) =>
        Unsafe.Add(ref weights, (nint)(hash & (uint)mask));

    private void Gather(DecisionFeatures features, int action, int[] indices, float[] values)
    {
        var contextHashes = features.ContextHashes;
        var contextSeeds = features.ContextInteractionSeeds;
        var contextValues = features.ContextValues;
        var actionHashes = features.ActionHashes(action);
        var actionValues = features.ActionValues(action);
        int m = mask;

        int n = 0;
        indices[n] = (int)(FeatureHasher.ConstantHash & (uint)m);
        values[n++] = 1;
        for (int c = 0; c < contextHashes.Length; c++)
        {
            indices[n] = (int)(contextHashes[c] & (uint)m);
            values[n++] = contextValues[c];
        }

        for (int j = 0; j < actionHashes.Length; j++)
        {
            indices[n] = (int)(actionHashes[j] & (uint)m);
            values[n++] = actionValues[j];
            if (interactions)
            {
                for (int c = 0; c < contextSeeds.Length; c++)
                {
                    indices[n] = (int)((contextSeeds[c] ^ actionHashes[j]) & (uint)m);
                    values[n++] = contextValues[c] * actionValues[j];
                }
            }
        }
    }

    // Vowpal Wabbit's gd update: adaptive, normalised and invariant (its defaults), with the per-weight rate decayed
    // by the power PowerT of the accumulated squared gradients (0.5, AdaGrad, by default). Returns the prediction
    // before the update, on the label's scale.
    private double Update(ReadOnlySpan<int> indices, Span<float> values, Span<float> rates, double label, double importance)
    {
        ref float w = ref MemoryMarshal.GetArrayDataReference(weights);
        ref float g = ref MemoryMarshal.GetArrayDataReference(accumulators);
        ref float norm = ref MemoryMarshal.GetArrayDataReference(normalizers);

        double prediction = 0;
        for (int i = 0; i < indices.Length; i++)
        {
            prediction += (double)Unsafe.Add(ref w, indices[i]) * values[i];
        }

        double error = label - prediction;
        double squaredGradient = importance * 4 * error * error;
        if (squaredGradient == 0)
        {
            return prediction;
        }

        double decay = Decay();
        double storedGradient = squaredGradient / decayScale;
        float unscale = (float)decayScale;
        double powerT = Settings.PowerT;

        double normalizedSquares = 0;
        double predictionPerUpdate = 0;
        for (int i = 0; i < indices.Length; i++)
        {
            int index = indices[i];
            float x = values[i];

            // In double: x² of a large feature would overflow a float, and one NaN would spoil the shared sums forever.
            double x2 = (double)x * x;
            if (x2 < MinSquaredValue)
            {
                x = x > 0 ? MinValue : -MinValue;
                x2 = MinSquaredValue;
                values[i] = x;
            }

            ref float accumulator = ref Unsafe.Add(ref g, index);
            accumulator += (float)(storedGradient * x2);

            ref float normalizer = ref Unsafe.Add(ref norm, index);
            float magnitude = MathF.Abs(x);
            if (magnitude > normalizer)
            {
                // A larger scale for this weight: rescale it as if it had been learned at that scale all along.
                if (normalizer > 0)
                {
                    Unsafe.Add(ref w, index) *= normalizer / magnitude;
                }

                normalizer = magnitude;
            }

            double relative = x / normalizer;
            normalizedSquares += relative * relative;
            float rate = accumulator > 0 ? 1 / (Adaptive(accumulator * unscale, powerT) * normalizer) : 0;
            rates[i] = rate;
            predictionPerUpdate += x2 * rate;
        }

        sumOfNormalizedSquares = (decay * sumOfNormalizedSquares) + (importance * normalizedSquares);
        sumOfImportanceWeights = (decay * sumOfImportanceWeights) + importance;
        double multiplier = Math.Sqrt(sumOfImportanceWeights / sumOfNormalizedSquares);
        predictionPerUpdate *= multiplier;

        // The importance-invariant step: the closed form of many infinitesimal steps, which never overshoots the label
        // however large the importance weight.
        double step = Settings.LearningRate * importance;
        double update = step * predictionPerUpdate < SmallStep
            ? 2 * error * step
            : error * (1 - Math.Exp(-2 * step * predictionPerUpdate)) / predictionPerUpdate;
        float scaledUpdate = (float)(update * multiplier);

        float shrink = (float)(1 - (Settings.LearningRate * Settings.L2));
        for (int i = 0; i < indices.Length; i++)
        {
            ref float weight = ref Unsafe.Add(ref w, indices[i]);
            weight = (weight * shrink) + (scaledUpdate * values[i] * rates[i]);
        }

        return prediction;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Adaptive(float accumulator, double powerT) => powerT switch
    {
        LearnerSettings.DefaultPowerT => MathF.Sqrt(accumulator),
        0 => 1,
        _ => MathF.Pow(accumulator, (float)powerT),
    };

    // Forgetting: this update's share of the decay of every accumulator (folded into decayScale) and of the totals.
    private double Decay()
    {
        double halfLife = Settings.ForgettingHalfLife;
        if (halfLife == 0)
        {
            return 1;
        }

        double decay = Math.Pow(2, -1 / halfLife);
        decayScale *= decay;
        if (decayScale < SmallestDecayScale)
        {
            TensorPrimitives.Multiply(accumulators, (float)decayScale, accumulators);
            decayScale = 1;
        }

        return decay;
    }

    // Internal so tests can check that a rescale on its own leaves predictions unchanged.
    internal void GrowRewardScale(double magnitude)
    {
        double grown = Math.Pow(2, Math.Ceiling(Math.Log2(magnitude)));
        if (rewardScale > 0)
        {
            // A power-of-two factor is exact in floating point, so predictions are unchanged by the rescale.
            float factor = (float)(rewardScale / grown);
            TensorPrimitives.Multiply(weights, factor, weights);
            TensorPrimitives.Multiply(accumulators, factor * factor, accumulators);
        }

        rewardScale = grown;
    }
}
