using System.Buffers;
using System.Buffers.Binary;
using System.IO.Hashing;

namespace Loops.Core.Policies;

/// <summary>
/// The binary format of <see cref="BanditPolicy"/> (little-endian): a fixed header (magic "LOOPSBAN", format version,
/// algorithm, learner settings, model settings, exploration settings, progressive validation counters) and its
/// XxHash64, then the algorithm's state: one <see cref="LinearRewardModel"/> (epsilon_greedy, softmax, squarecb), one
/// per bag (bagging), or the ridge regression's reward scale, update count, sum of squared residuals, θ and A⁻¹
/// followed by their XxHash64
/// (linucb, thompson). A bare <see cref="LinearRewardModel"/> file (magic "LOOPSLRM") reads as an epsilon-greedy policy.
/// </summary>
internal static class BanditPolicyFormat
{
    public const int Version = 1;

    private const int HeaderBytes = 147;
    private const int ChunkDoubles = 4096;

    private static ReadOnlySpan<byte> Magic => "LOOPSBAN"u8;

    public static void Write(Stream stream, BanditPolicy policy)
    {
        Span<byte> header = stackalloc byte[HeaderBytes + sizeof(ulong)];
        WriteHeader(header[..HeaderBytes], policy);
        BinaryPrimitives.WriteUInt64LittleEndian(header[HeaderBytes..], XxHash64.HashToUInt64(header[..HeaderBytes]));
        stream.Write(header);
        switch (policy)
        {
            case RegressionPolicy regression:
                regression.Model.WriteTo(stream);
                break;
            case BaggingPolicy bagging:
                foreach (var bag in bagging.Bags)
                {
                    bag.WriteTo(stream);
                }

                break;
            case RidgePolicy ridge:
                WriteRidge(stream, ridge.Regression);
                break;
            default:
                throw new InvalidOperationException($"No format for {policy.GetType().Name}.");
        }
    }

    public static BanditPolicy Read(Stream stream)
    {
        try
        {
            Span<byte> magic = stackalloc byte[8];
            stream.ReadExactly(magic);
            if (LinearRewardModelFormat.IsMagic(magic))
            {
                var state = LinearRewardModelFormat.ReadAfterMagic(stream, magic);
                return BanditPolicy.FromModel(LinearRewardModel.FromState(state), new ExplorationSettings());
            }

            if (!magic.SequenceEqual(Magic))
            {
                throw new InvalidDataException("The stream is not a Loops bandit policy (bad magic header).");
            }

            return ReadPolicy(stream);
        }
        catch (EndOfStreamException exception)
        {
            throw new InvalidDataException("The policy stream is truncated.", exception);
        }
    }

    private static BanditPolicy ReadPolicy(Stream stream)
    {
        Span<byte> header = stackalloc byte[HeaderBytes + sizeof(ulong)];
        Magic.CopyTo(header);
        stream.ReadExactly(header[Magic.Length..]);
        if (BinaryPrimitives.ReadUInt64LittleEndian(header[HeaderBytes..]) != XxHash64.HashToUInt64(header[..HeaderBytes]))
        {
            throw new InvalidDataException("The policy stream is corrupt (header checksum mismatch).");
        }

        int version = BinaryPrimitives.ReadInt32LittleEndian(header[8..]);
        if (version != Version)
        {
            throw new InvalidDataException($"Unsupported policy format version {version}; this build reads version {Version}.");
        }

        var (settings, exploration, progress) = ReadHeader(header);
        BanditPolicy policy = settings.Algorithm switch
        {
            BanditAlgorithm.Bagging => new BaggingPolicy(settings, exploration, ReadBags(stream, settings)),
            BanditAlgorithm.LinUcb or BanditAlgorithm.Thompson => new RidgePolicy(settings, exploration, ReadRidge(stream, settings)),
            _ => new RegressionPolicy(settings, exploration, ReadModel(stream, settings)),
        };
        policy.RestoreProgress(progress);
        return policy;
    }

    private static void WriteHeader(Span<byte> header, BanditPolicy policy)
    {
        var settings = policy.Settings;
        var learner = settings.Learner;
        var exploration = policy.Exploration;
        var progress = policy.Progress;
        Magic.CopyTo(header);
        BinaryPrimitives.WriteInt32LittleEndian(header[8..], Version);
        header[12] = (byte)settings.Algorithm;
        BinaryPrimitives.WriteDoubleLittleEndian(header[13..], learner.LearningRate);
        BinaryPrimitives.WriteInt32LittleEndian(header[21..], learner.Bits);
        BinaryPrimitives.WriteDoubleLittleEndian(header[25..], learner.MaxImportanceWeight);
        BinaryPrimitives.WriteDoubleLittleEndian(header[33..], learner.L2);
        header[41] = learner.Interactions ? (byte)1 : (byte)0;
        header[42] = (byte)learner.CbType;
        BinaryPrimitives.WriteDoubleLittleEndian(header[43..], learner.PowerT);
        BinaryPrimitives.WriteDoubleLittleEndian(header[51..], learner.ForgettingHalfLife);
        BinaryPrimitives.WriteInt32LittleEndian(header[59..], settings.Bags);
        BinaryPrimitives.WriteInt32LittleEndian(header[63..], settings.LinearBits);
        BinaryPrimitives.WriteDoubleLittleEndian(header[67..], settings.Ridge);
        BinaryPrimitives.WriteDoubleLittleEndian(header[75..], exploration.Epsilon);
        BinaryPrimitives.WriteDoubleLittleEndian(header[83..], exploration.EpsilonDecay);
        BinaryPrimitives.WriteDoubleLittleEndian(header[91..], exploration.SoftmaxLambda);
        BinaryPrimitives.WriteDoubleLittleEndian(header[99..], exploration.SquareCbGamma);
        BinaryPrimitives.WriteDoubleLittleEndian(header[107..], exploration.LinUcbAlpha);
        BinaryPrimitives.WriteDoubleLittleEndian(header[115..], exploration.ThompsonScale);
        BinaryPrimitives.WriteInt64LittleEndian(header[123..], progress.Events);
        BinaryPrimitives.WriteDoubleLittleEndian(header[131..], progress.SumOfSquaredErrors);
        BinaryPrimitives.WriteDoubleLittleEndian(header[139..], progress.SumOfRewards);
    }

    private static (BanditModelSettings Settings, ExplorationSettings Exploration, ProgressiveValidation Progress) ReadHeader(ReadOnlySpan<byte> header)
    {
        var settings = new BanditModelSettings
        {
            Algorithm = (BanditAlgorithm)header[12],
            Learner = new LearnerSettings
            {
                LearningRate = BinaryPrimitives.ReadDoubleLittleEndian(header[13..]),
                Bits = BinaryPrimitives.ReadInt32LittleEndian(header[21..]),
                MaxImportanceWeight = BinaryPrimitives.ReadDoubleLittleEndian(header[25..]),
                L2 = BinaryPrimitives.ReadDoubleLittleEndian(header[33..]),
                Interactions = header[41] switch
                {
                    0 => false,
                    1 => true,
                    _ => throw new InvalidDataException("The policy's interactions flag is invalid."),
                },
                CbType = (CbType)header[42],
                PowerT = BinaryPrimitives.ReadDoubleLittleEndian(header[43..]),
                ForgettingHalfLife = BinaryPrimitives.ReadDoubleLittleEndian(header[51..]),
            },
            Bags = BinaryPrimitives.ReadInt32LittleEndian(header[59..]),
            LinearBits = BinaryPrimitives.ReadInt32LittleEndian(header[63..]),
            Ridge = BinaryPrimitives.ReadDoubleLittleEndian(header[67..]),
        };
        var exploration = new ExplorationSettings
        {
            Epsilon = BinaryPrimitives.ReadDoubleLittleEndian(header[75..]),
            EpsilonDecay = BinaryPrimitives.ReadDoubleLittleEndian(header[83..]),
            SoftmaxLambda = BinaryPrimitives.ReadDoubleLittleEndian(header[91..]),
            SquareCbGamma = BinaryPrimitives.ReadDoubleLittleEndian(header[99..]),
            LinUcbAlpha = BinaryPrimitives.ReadDoubleLittleEndian(header[107..]),
            ThompsonScale = BinaryPrimitives.ReadDoubleLittleEndian(header[115..]),
        };
        var progress = new ProgressiveValidation(
            BinaryPrimitives.ReadInt64LittleEndian(header[123..]),
            BinaryPrimitives.ReadDoubleLittleEndian(header[131..]),
            BinaryPrimitives.ReadDoubleLittleEndian(header[139..]));
        try
        {
            settings.Validate();
            exploration.Validate();
        }
        catch (ArgumentException exception)
        {
            throw new InvalidDataException($"The policy's settings are invalid: {exception.Message}", exception);
        }

        if (progress.Events < 0 || !double.IsFinite(progress.SumOfSquaredErrors) || !double.IsFinite(progress.SumOfRewards))
        {
            throw new InvalidDataException("The policy's progressive validation counters are invalid.");
        }

        return (settings, exploration, progress);
    }

    private static LinearRewardModel ReadModel(Stream stream, BanditModelSettings settings)
    {
        var model = LinearRewardModel.ReadFrom(stream);
        if (model.Settings != settings.Learner)
        {
            throw new InvalidDataException("The policy's model has other settings than the policy.");
        }

        return model;
    }

    private static LinearRewardModel[] ReadBags(Stream stream, BanditModelSettings settings)
    {
        var bags = new LinearRewardModel[settings.Bags];
        for (int b = 0; b < bags.Length; b++)
        {
            bags[b] = ReadModel(stream, settings);
        }

        return bags;
    }

    private static void WriteRidge(Stream stream, RidgeRegression regression)
    {
        var hash = new XxHash64();
        Span<byte> head = stackalloc byte[24];
        BinaryPrimitives.WriteDoubleLittleEndian(head, regression.RewardScale);
        BinaryPrimitives.WriteInt64LittleEndian(head[8..], regression.Updates);
        BinaryPrimitives.WriteDoubleLittleEndian(head[16..], regression.SumOfSquaredResiduals);
        hash.Append(head);
        stream.Write(head);
        WriteDoubles(stream, hash, regression.Weights);
        WriteDoubles(stream, hash, regression.Covariance);
        Span<byte> trailer = stackalloc byte[sizeof(ulong)];
        BinaryPrimitives.WriteUInt64LittleEndian(trailer, hash.GetCurrentHashAsUInt64());
        stream.Write(trailer);
    }

    private static RidgeRegression ReadRidge(Stream stream, BanditModelSettings settings)
    {
        int d = settings.LinearDimension;
        var hash = new XxHash64();
        Span<byte> head = stackalloc byte[24];
        stream.ReadExactly(head);
        hash.Append(head);
        double rewardScale = BinaryPrimitives.ReadDoubleLittleEndian(head);
        long updates = BinaryPrimitives.ReadInt64LittleEndian(head[8..]);
        double residuals = BinaryPrimitives.ReadDoubleLittleEndian(head[16..]);
        var weights = ReadDoubles(stream, hash, d);
        var covariance = ReadDoubles(stream, hash, d * d);
        Span<byte> trailer = stackalloc byte[sizeof(ulong)];
        stream.ReadExactly(trailer);
        if (BinaryPrimitives.ReadUInt64LittleEndian(trailer) != hash.GetCurrentHashAsUInt64())
        {
            throw new InvalidDataException("The policy stream is corrupt (checksum mismatch).");
        }

        if (!double.IsFinite(rewardScale) || rewardScale < 0 || updates < 0 || !double.IsFinite(residuals) || residuals < 0)
        {
            throw new InvalidDataException("The ridge regression's learning state is out of range.");
        }

        return new RidgeRegression(d, covariance, weights, rewardScale, updates, residuals);
    }

    private static void WriteDoubles(Stream stream, XxHash64 hash, ReadOnlySpan<double> values)
    {
        byte[] chunk = ArrayPool<byte>.Shared.Rent(ChunkDoubles * sizeof(double));
        try
        {
            for (int start = 0; start < values.Length; start += ChunkDoubles)
            {
                var part = values.Slice(start, Math.Min(ChunkDoubles, values.Length - start));
                var bytes = chunk.AsSpan(0, part.Length * sizeof(double));
                for (int i = 0; i < part.Length; i++)
                {
                    BinaryPrimitives.WriteDoubleLittleEndian(bytes[(i * sizeof(double))..], part[i]);
                }

                hash.Append(bytes);
                stream.Write(bytes);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }

    private static double[] ReadDoubles(Stream stream, XxHash64 hash, int count)
    {
        var values = new double[count];
        byte[] chunk = ArrayPool<byte>.Shared.Rent(ChunkDoubles * sizeof(double));
        try
        {
            for (int start = 0; start < count; start += ChunkDoubles)
            {
                int length = Math.Min(ChunkDoubles, count - start);
                var bytes = chunk.AsSpan(0, length * sizeof(double));
                stream.ReadExactly(bytes);
                hash.Append(bytes);
                for (int i = 0; i < length; i++)
                {
                    double value = BinaryPrimitives.ReadDoubleLittleEndian(bytes[(i * sizeof(double))..]);
                    values[start + i] = double.IsFinite(value)
                        ? value
                        : throw new InvalidDataException("The ridge regression holds a non-finite number.");
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        return values;
    }
}
