namespace Loops.Core;

/// <summary>Everything <see cref="LinearRewardModel"/> persists, passed between the model and its file format.</summary>
internal sealed record LinearRewardModelState(
    LearnerSettings Settings,
    float[] Weights,
    float[] Accumulators,
    float[] Normalizers,
    long Updates,
    double RewardScale,
    double SumOfNormalizedSquares,
    double SumOfImportanceWeights,
    double DecayScale);
